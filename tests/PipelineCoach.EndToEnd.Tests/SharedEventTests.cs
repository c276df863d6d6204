using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Testing;
using NotificationsProgram = PipelineCoach.Notifications.Program;
using ScoringProgram = PipelineCoach.Scoring.Program;

namespace PipelineCoach.EndToEnd.Tests;

/// <summary>An event several services consume reaches each of them (every service has its own queue).</summary>
public sealed class When_two_services_consume_the_same_event
{
    private ServiceHost<ScoringProgram> _scoring = null!;
    private ServiceHost<NotificationsProgram> _notifications = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _scoring = await ServiceHost<ScoringProgram>.StartAsync("scoring");
        _notifications = await ServiceHost<NotificationsProgram>.StartAsync("notifications");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _notifications.DisposeAsync();
        await _scoring.DisposeAsync();
    }

    private static async Task<long> CountAsync(string connectionString, string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    [Test]
    public async Task Should_deliver_user_changed_to_scoring_and_to_notifications()
    {
        var userIds = Enumerable.Range(0, 10).Select(_ => TestIds.New("005")).ToArray();
        var bus = _scoring.Services.GetRequiredService<IBus>();
        foreach (var userId in userIds)
        {
            await bus.Publish(new UserChanged
            {
                UserId = userId, OrganizationId = "00D000000000001EAA", SourceVersion = DateTimeOffset.UtcNow,
                OccurredAt = DateTimeOffset.UtcNow, Name = "Rita Rep", ManagerId = TestIds.New("005"), TimeZone = "Europe/Berlin",
            });
        }

        var inScoring = await Eventually.ValueAsync(
            () => CountAsync(_scoring.DatabaseConnectionString, "SELECT count(*) FROM users WHERE id = ANY(@userIds)", new { userIds }),
            n => n == 10, "Scoring to record all ten users");
        var inNotifications = await Eventually.ValueAsync(
            () => CountAsync(_notifications.DatabaseConnectionString, "SELECT count(*) FROM recipients WHERE user_id = ANY(@userIds)", new { userIds }),
            n => n == 10, "Notifications to record all ten users");
        Assert.That((inScoring, inNotifications), Is.EqualTo((10L, 10L)), "each service received every message");
    }
}
