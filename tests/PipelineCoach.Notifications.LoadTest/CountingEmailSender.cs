using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Routing;
using PipelineCoach.Testing;

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

    /// <summary>
    /// The email channel the run asked for: <c>maildev</c> (the fixtures' SMTP server, set in <paramref name="settings"/>)
    /// or <c>count</c> (<paramref name="sender"/> in place of the service's email sender); returns the services to replace.
    /// </summary>
    public static async Task<Action<IServiceCollection>> UseAsync(string email, Dictionary<string, string?> settings, CountingEmailSender sender)
    {
        if (email == "maildev")
        {
            var maildev = await TestServers.MaildevAsync();
            settings["Notifications:Email:Relays:0:Host"] = maildev.SmtpHost;
            settings["Notifications:Email:Relays:0:Port"] = maildev.SmtpPort.ToString(CultureInfo.InvariantCulture);
            Console.WriteLine($"# email: SMTP to {maildev.Description}");
            return _ => { };
        }

        Console.WriteLine("# email: a counting stand-in for SMTP (CountingEmailSender), not maildev");
        return Replace(sender);
    }

    /// <summary>Puts <paramref name="sender"/> in place of the service's email sender; the other channels' senders stay.</summary>
    private static Action<IServiceCollection> Replace(CountingEmailSender sender) => services =>
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
