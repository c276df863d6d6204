namespace PipelineCoach.Sync.Salesforce;

/// <summary>Salesforce record ids: 15-character case-sensitive ids get their 3-character checksum suffix.</summary>
public static class SalesforceId
{
    private const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    /// <summary>
    /// Returns the 18-character form of a 15- or 18-character id. An 18-character id is returned with its
    /// checksum recomputed from its first 15 characters, so a case-mangled id is rejected rather than trusted.
    /// </summary>
    public static bool TryNormalize(ReadOnlySpan<char> id, out string normalized)
    {
        normalized = "";
        if (id.Length is not (15 or 18))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        Span<char> result = stackalloc char[18];
        id[..15].CopyTo(result);
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var value = 0;
            for (var position = 0; position < 5; position++)
            {
                if (char.IsAsciiLetterUpper(id[(chunk * 5) + position]))
                {
                    value |= 1 << position;
                }
            }

            result[15 + chunk] = SuffixAlphabet[value];
        }

        if (id.Length == 18 && !id[15..].Equals(result[15..], StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        normalized = new string(result);
        return true;
    }

    public static string Normalize(string id) =>
        TryNormalize(id, out var normalized) ? normalized : throw new FormatException($"'{id}' is not a Salesforce id.");
}
