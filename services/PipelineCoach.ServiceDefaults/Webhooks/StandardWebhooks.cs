using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PipelineCoach.ServiceDefaults.Webhooks;

/// <summary>The outcome of checking a Standard Webhooks signature.</summary>
public enum WebhookVerification
{
    Valid,
    MissingHeaders,
    MalformedTimestamp,
    TimestampOutsideTolerance,
    InvalidSignature,
}

/// <summary>
/// Standard Webhooks (standardwebhooks.com) signing and verification: HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c> keyed with the base64 secret after its <c>whsec_</c> prefix;
/// <c>webhook-signature</c> holds one or more space-separated <c>v1,&lt;base64&gt;</c> values (several during a
/// secret rotation). Written here rather than taken from the StandardWebhooks package because that package reads
/// the wall clock directly and copies the body into strings; this one takes <see cref="TimeProvider"/> and spans.
/// </summary>
public sealed class StandardWebhooks
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    private const string SecretPrefix = "whsec_";

    private readonly byte[][] _keys;

    /// <param name="secrets">One or more <c>whsec_…</c> secrets; any of them verifies, and all of them sign (rotation).</param>
    public StandardWebhooks(IEnumerable<string> secrets)
    {
        _keys = [.. secrets.Select(DecodeSecret)];
        if (_keys.Length == 0)
        {
            throw new ArgumentException("At least one webhook secret is required.", nameof(secrets));
        }
    }

    public static bool IsValidSecret(string? secret)
    {
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var encoded = secret.AsSpan(SecretPrefix.Length);
        return Base64.IsValid(encoded, out var length) && length >= 24;
    }

    /// <summary>Creates a new random secret in <c>whsec_</c> form.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public WebhookVerification Verify(string? id, string? timestamp, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatureHeader))
        {
            return WebhookVerification.MissingHeaders;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookVerification.MalformedTimestamp;
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799));
        if ((now - sent).Duration() > tolerance)
        {
            return WebhookVerification.TimestampOutsideTolerance;
        }

        Span<byte> expected = stackalloc byte[32];
        Span<byte> candidate = stackalloc byte[64];
        foreach (var key in _keys)
        {
            Sign(key, id, timestamp, body, expected);
            foreach (var range in signatureHeader.AsSpan().Split(' '))
            {
                var part = signatureHeader.AsSpan()[range];
                if (!part.StartsWith("v1,", StringComparison.Ordinal))
                {
                    continue;
                }

                if (Convert.TryFromBase64Chars(part[3..], candidate, out var written) && written == 32 &&
                    CryptographicOperations.FixedTimeEquals(candidate[..written], expected))
                {
                    return WebhookVerification.Valid;
                }
            }
        }

        return WebhookVerification.InvalidSignature;
    }

    /// <summary>
    /// The <c>webhook-signature</c> header value for a body: one space-separated <c>v1,&lt;base64&gt;</c> entry per
    /// configured secret, in order, so that during a rotation a receiver holding either secret accepts the message.
    /// The same HMAC routine that <see cref="Verify"/> uses, so sender and receiver cannot drift apart.
    /// </summary>
    public string Sign(string id, long timestampSeconds, ReadOnlySpan<byte> body)
    {
        var timestamp = timestampSeconds.ToString(CultureInfo.InvariantCulture);
        Span<byte> mac = stackalloc byte[32];
        var header = new StringBuilder(_keys.Length * 48);
        foreach (var key in _keys)
        {
            Sign(key, id, timestamp, body, mac);
            if (header.Length > 0)
            {
                header.Append(' ');
            }

            header.Append("v1,").Append(Convert.ToBase64String(mac));
        }

        return header.ToString();
    }

    private static void Sign(byte[] key, string id, string timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        var prefixLength = Encoding.UTF8.GetByteCount(id) + timestamp.Length + 2;
        var rented = ArrayPool<byte>.Shared.Rent(prefixLength);
        try
        {
            var written = Encoding.UTF8.GetBytes(id, rented);
            rented[written++] = (byte)'.';
            written += Encoding.ASCII.GetBytes(timestamp, rented.AsSpan(written));
            rented[written++] = (byte)'.';
            hmac.AppendData(rented, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }

    private static byte[] DecodeSecret(string secret)
    {
        if (!IsValidSecret(secret))
        {
            throw new ArgumentException("A webhook secret must be 'whsec_' followed by base64 of at least 24 bytes.", nameof(secret));
        }

        return Convert.FromBase64String(secret[SecretPrefix.Length..]);
    }
}
