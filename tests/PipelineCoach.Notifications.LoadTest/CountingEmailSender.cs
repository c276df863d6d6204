using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.LoadTest;

/// <summary>
/// A stand-in for SMTP in the benchmark: the "email" channel takes every message at once and counts it — per delivery
/// id (a second send of one delivery would show), and per recipient for immediate (non-digest) ones, so the driver
/// can compare what each recipient received with their budget.
/// </summary>
internal sealed class CountingEmailSender : IChannelSender
{
    private readonly ConcurrentDictionary<Guid, int> _sends = new();
    private readonly ConcurrentDictionary<string, int> _immediateByRecipient = new(StringComparer.Ordinal);
    private long _digests;

    public string Channel => ChannelNames.Email;

    public IReadOnlyDictionary<Guid, int> Sends => _sends;

    public IReadOnlyDictionary<string, int> ImmediateByRecipient => _immediateByRecipient;

    public long Digests => Interlocked.Read(ref _digests);

    public Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        _sends.AddOrUpdate(message.DeliveryId, 1, (_, n) => n + 1);
        if (message.Notice.Signal == Signals.Digest)
        {
            Interlocked.Increment(ref _digests);
        }
        else
        {
            _immediateByRecipient.AddOrUpdate(message.RecipientId ?? "", 1, (_, n) => n + 1);
        }

        return Task.FromResult(SendOutcome.Sent());
    }

    /// <summary>Puts <paramref name="sender"/> in place of the service's email sender; the other channels' senders stay.</summary>
    public static Action<IServiceCollection> Replace(CountingEmailSender sender) => services =>
    {
        foreach (var registered in services.Where(d => d.ServiceType == typeof(IChannelSender)).ToList())
        {
            services.Remove(registered);
            services.AddSingleton<IChannelSender>(provider =>
            {
                var original = (IChannelSender)(registered.ImplementationInstance
                    ?? registered.ImplementationFactory?.Invoke(provider)
                    ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!));
                return original.Channel == ChannelNames.Email ? sender : original;
            });
        }
    };
}
