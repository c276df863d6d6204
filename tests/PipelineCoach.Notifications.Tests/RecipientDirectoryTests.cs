using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests;

public sealed class When_users_change_in_salesforce
{
    private ServiceHost<Program> _notifications = null!;
    private IBus _bus = null!;
    private readonly ConsumedMessages _consumed = new();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _notifications = await ServiceHost<Program>.StartAsync("notifications");
        _bus = _notifications.Services.GetRequiredService<IBus>();
        _bus.ConnectReceiveObserver(_consumed);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _notifications.DisposeAsync();

    [Test]
    public async Task Should_keep_the_newest_manager_and_time_zone_of_each_recipient()
    {
        var userId = TestIds.New("005");
        var managerId = TestIds.New("005");
        var now = TestClock.Now;
        UserChanged User(DateTimeOffset version, string? manager, string zone) => new()
        {
            UserId = userId, OrganizationId = "00D000000000001EAA", SourceVersion = version, OccurredAt = version,
            Name = "Rita Rep", Email = "rita@example.test", ManagerId = manager, TimeZone = zone,
        };

        foreach (var message in new[] { User(now, managerId, "Europe/Berlin"), User(now.AddMinutes(-1), null, "America/New_York") })
        {
            var id = NewId.NextGuid();
            await _bus.Publish(message, context => context.MessageId = id);
            await _consumed.WaitForAsync(id, 1);
        }

        await using var connection = new NpgsqlConnection(_notifications.DatabaseConnectionString);
        var row = await connection.QuerySingleAsync<(string Manager, string Zone)>(
            "SELECT manager_id, time_zone FROM recipients WHERE user_id = @userId", new { userId });
        Assert.That(row, Is.EqualTo((managerId, "Europe/Berlin")));
    }

    [Test]
    public async Task Should_report_ready_and_serve_metrics()
    {
        using var client = _notifications.CreateClient();
        var ready = await Eventually.ValueAsync(
            async () => await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync(),
            text => text.Contains("\"status\":\"Healthy\"", StringComparison.Ordinal), "Notifications to become ready");
        Assert.That(ready, Does.Contain("postgresql"));
        Assert.That(await client.GetStringAsync("/metrics"), Does.Contain("# TYPE"));
    }
}
