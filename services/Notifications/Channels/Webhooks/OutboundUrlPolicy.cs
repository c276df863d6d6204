using System.Net;

namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>
/// Registration-time check of a webhook or chat URL: scheme, credentials and, when the host is an address literal
/// (in any spelling the resolver would accept: decimal, octal, hex, short forms, bracketed IPv6), the address.
/// Host names are judged again, address by address, when a request is sent (<see cref="GuardedConnector"/>).
/// </summary>
internal static class OutboundUrlPolicy
{
    /// <summary>Null when the URL is acceptable, otherwise the field error text for the API.</summary>
    public static string? Validate(string? url, bool allowPrivateTargets)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "A URL is required.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "The URL must be an absolute http or https URL.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "The URL must not contain credentials.";
        }

        if (TryParseAddress(uri.Host, out var address))
        {
            return OutboundAddressPolicy.Check(address, allowPrivateTargets) is { } refusal ? $"The URL's host is refused: {refusal}." : null;
        }

        // RFC 6761: localhost and *.localhost always mean loopback, whatever DNS says.
        var name = uri.IdnHost.TrimEnd('.');
        if (!allowPrivateTargets && (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
        {
            return "The URL's host is refused: localhost is a loopback address.";
        }

        return null;
    }

    /// <summary>Reads a host that is an IP address literal, in any form the platform's resolver would also accept.</summary>
    public static bool TryParseAddress(string host, out IPAddress address)
    {
        var literal = host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
        if (literal.Length > 0 && (char.IsAsciiDigit(literal[0]) || literal.Contains(':')) && IPAddress.TryParse(literal, out var parsed))
        {
            address = parsed;
            return true;
        }

        address = IPAddress.None;
        return false;
    }
}
