using System.Net;
using System.Net.Sockets;

namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> for every outbound webhook and chat post. It resolves the
/// host itself, refuses the connection if ANY resolved address is refused by <see cref="OutboundAddressPolicy"/>,
/// and then connects to one of exactly those checked addresses. Checking and connecting use the same address, so a
/// name that resolves to a public address at registration and to 169.254.169.254 later (DNS rebinding) is caught.
/// </summary>
internal sealed class GuardedConnector(bool allowPrivateTargets, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = OutboundUrlPolicy.TryParseAddress(host, out var literal) ? [literal] : await _resolve(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new OutboundTargetRefusedException(host, "it resolved to no address");
        }

        foreach (var address in addresses)
        {
            if (OutboundAddressPolicy.Check(address, allowPrivateTargets) is { } refusal)
            {
                throw new OutboundTargetRefusedException(host, refusal);
            }
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
