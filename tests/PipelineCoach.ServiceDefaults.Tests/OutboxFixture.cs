using MassTransit;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Testing;

namespace PipelineCoach.ServiceDefaults.Tests;

/// <summary>
/// A ServiceDefaults-only host for one fixture plus a queue bound to <see cref="OpportunityScored"/>'s exchange, where
/// what the outbox publishes is seen arriving.
/// </summary>
public abstract class OutboxFixture(string name, IDictionary<string, string?>? settings = null, Action<IBusRegistrationConfigurator>? consumers = null)
{
    private protected DefaultsHost Host { get; private set; } = null!;

    private protected QueueProbe<OpportunityScored> Published { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartHostAsync()
    {
        Host = await DefaultsHost.StartAsync(name, settings, consumers);
        Published = await QueueProbe<OpportunityScored>.StartAsync(Host.RabbitMqUri);
    }

    [OneTimeTearDown]
    public async Task StopHostAsync()
    {
        await Published.DisposeAsync();
        await Host.DisposeAsync();
    }
}
