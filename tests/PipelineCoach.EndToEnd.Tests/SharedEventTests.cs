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
    private static readonly DateTimeOffset Version = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);
    private static readonly string[] Zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo"];

    private ServiceHost<ScoringProgram> _scoring = null!;
    private ServiceHost<NotificationsProgram> _notifications = null!;
    private readonly ConsumedMessages _inScoring = new();
    private readonly ConsumedMessages _inNotifications = new();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _scoring = await ServiceHost<ScoringProgram>.StartAsync("scoring");
        _notifications = await ServiceHost<NotificationsProgram>.StartAsync("notifications");
        _scoring.Services.GetRequiredService<IBus>().ConnectReceiveObserver(_inScoring);
        _notifications.Services.GetRequiredService<IBus>().ConnectReceiveObserver(_inNotifications);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _notifications.DisposeAsync();
        await _scoring.DisposeAsync();
    }

    private static async Task<IReadOnlyList<T>> QueryAsync<T>(string connectionString, string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }

    [Test]
    public async Task Should_deliver_user_changed_to_scoring_and_to_notifications()
    {
        // Every message different in every field both services store, so a row holding another message's values shows.
        var users = Enumerable.Range(0, 10).Select(i => new UserChanged
        {
            UserId = TestIds.New("005"), OrganizationId = "00D000000000001EAA", SourceVersion = Version.AddSeconds(i), OccurredAt = Version.AddSeconds(i),
            Name = $"Rep {i}", Email = $"rep{i}@example.test", ManagerId = TestIds.New("005"), TimeZone = Zones[i % Zones.Length], IsActive = i % 2 == 0,
        }).ToList();
        var messageIds = users.Select(_ => NewId.NextGuid()).ToList();
        var bus = _scoring.Services.GetRequiredService<IBus>();
        foreach (var (user, messageId) in users.Zip(messageIds))
        {
            await bus.Publish(user, context => context.MessageId = messageId);
        }

        // Wait for each service to have handled each message; then check what each of them stored.
        await _inScoring.WaitForAllAsync(messageIds);
        await _inNotifications.WaitForAllAsync(messageIds);

        var userIds = users.Select(u => u.UserId).ToArray();
        var inScoring = await QueryAsync<(string, string?, string?, bool, DateTime)>(_scoring.DatabaseConnectionString,
            "SELECT id, name, manager_id, is_active, source_version FROM users WHERE id = ANY(@userIds)", new { userIds });
        var inNotifications = await QueryAsync<(string, string?, string?, string?, string?, bool, DateTime)>(_notifications.DatabaseConnectionString,
            "SELECT user_id, name, email, manager_id, time_zone, is_active, source_version FROM recipients WHERE user_id = ANY(@userIds)",
            new { userIds });

        var ordered = users.OrderBy(u => u.UserId, StringComparer.Ordinal).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(inScoring.OrderBy(r => r.Item1, StringComparer.Ordinal).ToList(),
                Is.EqualTo(ordered.Select(u => (u.UserId, u.Name, u.ManagerId, u.IsActive, u.SourceVersion.UtcDateTime)).ToList()),
                "Scoring stored every user as published");
            Assert.That(inNotifications.OrderBy(r => r.Item1, StringComparer.Ordinal).ToList(),
                Is.EqualTo(ordered.Select(u => (u.UserId, u.Name, u.Email, u.ManagerId, u.TimeZone, u.IsActive, u.SourceVersion.UtcDateTime)).ToList()),
                "Notifications stored every user as published");
            Assert.That(messageIds.Select(_inScoring.Count), Is.All.EqualTo(1), "Scoring received each message once");
            Assert.That(messageIds.Select(_inNotifications.Count), Is.All.EqualTo(1), "Notifications received each message once");
            Assert.That(_inScoring.Faults.Concat(_inNotifications.Faults), Is.Empty, "consumer exceptions");
        });
    }
}
