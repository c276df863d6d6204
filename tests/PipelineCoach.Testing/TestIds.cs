namespace PipelineCoach.Testing;

/// <summary>Random, valid 18-character Salesforce ids for tests.</summary>
public static class TestIds
{
    // No upper-case letters, so every 5-character chunk's checksum character is 'A'.
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <param name="prefix">A key prefix without upper-case letters, e.g. <c>006</c> (Opportunity) or <c>005</c> (User).</param>
    public static string New(string prefix)
    {
        var chars = new char[18];
        prefix.CopyTo(0, chars, 0, 3);
        for (var i = 3; i < 15; i++)
        {
            chars[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }

        chars[15] = chars[16] = chars[17] = 'A';
        return new string(chars);
    }
}
