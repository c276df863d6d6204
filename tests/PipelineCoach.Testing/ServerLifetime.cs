namespace PipelineCoach.Testing;

/// <summary>
/// Base for each test assembly's [SetUpFixture]: starts PostgreSQL and RabbitMQ once before any test and stops what
/// it started after the last one.
/// </summary>
public abstract class ServerLifetime
{
    [NUnit.Framework.OneTimeSetUp]
    public async Task StartServersAsync()
    {
        var postgres = await TestServers.PostgresAsync();
        var rabbitMq = await TestServers.RabbitMqAsync();
        await NUnit.Framework.TestContext.Progress.WriteLineAsync($"Test servers: {postgres.Description}; {rabbitMq.Description}");
    }

    [NUnit.Framework.OneTimeTearDown]
    public Task StopServersAsync() => TestServers.StopAsync();
}
