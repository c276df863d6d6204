namespace PipelineCoach.SalesforceSimulator.Generation;

/// <summary>
/// 18-character Salesforce ids: key prefix, a fixed instance part, the row number in base 62 and the
/// three-character case-safety checksum (reference §5).
/// </summary>
public static class SalesforceIds
{
    public const string Account = "001";
    public const string Contact = "003";
    public const string User = "005";
    public const string Opportunity = "006";
    public const string OpportunityHistory = "008";
    public const string OpportunityFieldHistory = "017";
    public const string Task = "00T";
    public const string Organization = "00D";
    public const string OpportunityContactRole = "00K";
    public const string OutboundMessage = "04k";
    public const string OutboundNotification = "04l";
    public const string QueryLocator = "01g";
    public const string BulkJob = "750";

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string ChecksumAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    private const string InstancePart = "Dn";

    /// <summary>Builds the id of row <paramref name="number"/> (0-based) for a key prefix.</summary>
    public static string Create(string prefix, long number)
    {
        Span<char> buffer = stackalloc char[18];
        Write(prefix, number, buffer);
        return new string(buffer);
    }

    /// <summary>Writes an 18-char id into <paramref name="destination"/> without allocating.</summary>
    public static void Write(string prefix, long number, Span<char> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        prefix.AsSpan().CopyTo(destination);
        InstancePart.AsSpan().CopyTo(destination[3..]);
        var value = number;
        for (var i = 14; i >= 5; i--)
        {
            destination[i] = Base62[(int)(value % 62)];
            value /= 62;
        }

        WriteChecksum(destination[..15], destination[15..18]);
    }

    /// <summary>Appends the checksum to a 15-char id; returns 18-char ids unchanged.</summary>
    public static string To18(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 18)
        {
            return id;
        }

        if (id.Length != 15)
        {
            throw new ArgumentException("A Salesforce id has 15 or 18 characters.", nameof(id));
        }

        Span<char> buffer = stackalloc char[18];
        id.AsSpan().CopyTo(buffer);
        WriteChecksum(buffer[..15], buffer[15..]);
        return new string(buffer);
    }

    public static bool HasValidChecksum(string id)
    {
        if (id is not { Length: 18 } || !IsBase62(id))
        {
            return false;
        }

        Span<char> expected = stackalloc char[3];
        WriteChecksum(id.AsSpan(0, 15), expected);
        return expected.SequenceEqual(id.AsSpan(15));
    }

    /// <summary>
    /// Parses an id minted by the simulator back to its prefix and row number. 15-char ids are compared
    /// case-sensitively; 18-char ids must carry a correct checksum.
    /// </summary>
    public static bool TryParse(string? id, out string prefix, out long number)
    {
        prefix = string.Empty;
        number = -1;
        if (id is null || (id.Length != 15 && id.Length != 18) || !IsBase62(id))
        {
            return false;
        }

        var full = id.Length == 15 ? To18(id) : id;
        if (!HasValidChecksum(full) || !full.AsSpan(3, 2).SequenceEqual(InstancePart))
        {
            return false;
        }

        long value = 0;
        for (var i = 5; i < 15; i++)
        {
            value = (value * 62) + Base62.IndexOf(full[i], StringComparison.Ordinal);
        }

        prefix = full[..3];
        number = value;
        return true;
    }

    public static bool LooksLikeId(string? id) => id is { Length: 15 or 18 } && IsBase62(id);

    private static bool IsBase62(string id)
    {
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteChecksum(ReadOnlySpan<char> id15, Span<char> destination)
    {
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var flags = 0;
            for (var j = 0; j < 5; j++)
            {
                if (char.IsAsciiLetterUpper(id15[(chunk * 5) + j]))
                {
                    flags |= 1 << j;
                }
            }

            destination[chunk] = ChecksumAlphabet[flags];
        }
    }
}
