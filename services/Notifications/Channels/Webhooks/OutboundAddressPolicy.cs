using System.Net;
using System.Net.Sockets;

namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>
/// Which IP addresses the service may connect to for outbound webhooks and chat posts (SSRF). Pure: the same rule
/// judges a URL's literal host when it is registered and every resolved address when a request is sent.
/// </summary>
internal static class OutboundAddressPolicy
{
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    /// <summary>Null when <paramref name="address"/> may be connected to, otherwise why not.</summary>
    public static string? Check(IPAddress address, bool allowPrivateTargets)
    {
        // IPv4 hidden inside IPv6 (::ffff:169.254.169.254, ::127.0.0.1, 64:ff9b::a9fe:a9fe) is judged as the IPv4 it reaches.
        if (EmbeddedIPv4(address) is { } v4)
        {
            address = v4;
        }

        if (IsAlwaysRefused(address))
        {
            return $"{address} is a link-local, cloud-metadata, multicast or reserved address";
        }

        if (!allowPrivateTargets && IsPrivate(address))
        {
            return $"{address} is a loopback or private address";
        }

        return null;
    }

    private static bool IsAlwaysRefused(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 169 && b[1] == 254 // link-local, includes 169.254.169.254 metadata
                || b[0] >= 224; // multicast 224/4, reserved 240/4, broadcast
        }

        return address.Equals(AwsMetadataV6) || address.IsIPv6LinkLocal || address.IsIPv6Multicast;
    }

    private static bool IsPrivate(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] == 0 // 0.0.0.0/8 ("this host")
                || b[0] == 10
                || b[0] == 127
                || (b[0] == 172 && (b[1] & 0xF0) == 16)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 100 && (b[1] & 0xC0) == 64); // CGNAT 100.64/10
        }

        return address.Equals(IPAddress.IPv6Loopback)
            || address.Equals(IPAddress.IPv6None)
            || (b[0] & 0xFE) == 0xFC // unique local fc00::/7
            || address.IsIPv6SiteLocal;
    }

    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var b = address.GetAddressBytes();
        var firstTwelveZero = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        var isNat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;

        // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96); :: and ::1 are IPv6 in their own right.
        if ((firstTwelveZero && !address.Equals(IPAddress.IPv6Loopback) && !address.Equals(IPAddress.IPv6None)) || isNat64)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        return null;
    }
}
