using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Channels.Email;

namespace PipelineCoach.Notifications.Tests.Email;

public sealed class When_the_email_channel_is_configured
{
    [Test]
    public void Should_bind_the_relays_in_order_with_the_names_the_local_run_sets()
    {
        using var provider = Services(new()
        {
            ["Notifications:Email:Relays:0:Host"] = "127.0.0.1",
            ["Notifications:Email:Relays:0:Port"] = "1025",
            ["Notifications:Email:Relays:1:Host"] = "smtp.example.test",
            ["Notifications:Email:Relays:1:Port"] = "587",
            ["Notifications:Email:Relays:1:Username"] = "coach",
            ["Notifications:Email:Relays:1:Password"] = "s3cret",
            ["Notifications:Email:Relays:1:Security"] = "StartTls",
        });

        var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.Relays.Select(r => (r.ToString(), r.Security)),
                Is.EqualTo(new[] { ("127.0.0.1:1025", SmtpSecurity.Auto), ("smtp.example.test:587", SmtpSecurity.StartTls) }));
            Assert.That(options.Relays[1].ToString(), Does.Not.Contain("s3cret"));
            Assert.That((options.From, options.FromName, options.Timeout), Is.EqualTo(("pipeline-coach@localhost", "Pipeline Coach", TimeSpan.FromSeconds(30))));
        });
    }

    [Test]
    public void Should_send_through_localhost_port_25_when_no_relay_is_configured()
    {
        using var provider = Services([]);

        var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;

        Assert.That(options.Relays.Select(r => r.ToString()), Is.EqualTo(new[] { "localhost:25" }));
    }

    [Test]
    public void Should_refuse_a_relay_without_a_host_or_port_and_a_sender_that_is_no_address()
    {
        using var provider = Services(new()
        {
            ["Notifications:Email:From"] = "not an address",
            ["Notifications:Email:Relays:0:Port"] = "0",
        });

        var refused = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<EmailOptions>>().Value);

        Assert.That(refused!.Message, Does.Contain("Notifications:Email:From 'not an address'")
            .And.Contain("Notifications:Email:Relays:0:Host")
            .And.Contain("Notifications:Email:Relays:0:Port"));
    }

    [Test]
    public void Should_register_the_sender_of_the_email_channel()
    {
        using var provider = Services(new() { ["Notifications:Email:Relays:0:Host"] = "127.0.0.1" });

        var senders = provider.GetServices<IChannelSender>();

        Assert.That(senders.Select(s => (s.Channel, s.GetType())), Is.EqualTo(new[] { (ChannelNames.Email, typeof(EmailSender)) }));
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddMetrics()
            .AddEmailChannel()
            .BuildServiceProvider();
    }
}
