using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PipelineCoach.ServiceDefaults.Retention;
using PipelineCoach.Testing;

namespace PipelineCoach.ServiceDefaults.Tests;

/// <summary>
/// Retention prunes dispatched outbox rows, inbox markers and a service's own tables past their period, in batches
/// smaller than the backlog, on one instance at a time; parked and undispatched rows stay.
/// </summary>
public sealed class When_retention_runs
{
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private DefaultsHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await DefaultsHost.StartAsync(
        "retention",
        new Dictionary<string, string?>
        {
            ["Retention:BatchSize"] = "3",
            // The tests run each pass themselves; a background pass could take the rows first.
            ["Retention:Enabled"] = "false",
            ["Retention:Tables:test_retained"] = "1.00:00:00",
        },
        services: services =>
        {
            services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
            services.AddRetainedTable("test_retained", "seen_at");
        },
        migrations: typeof(When_retention_runs).Assembly);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    private RetentionService Retention => _host.Services.GetRequiredService<RetentionService>();

    [Test]
    public async Task Expired_rows_go_in_bounded_batches_and_the_rest_stay()
    {
        await _host.ExecuteAsync(
            """
            INSERT INTO outbox_messages (message_id, message_type, body, dispatched_at)
            SELECT gen_random_uuid(), 'expired', '{}', @now - interval '8 days' FROM generate_series(1, 10);
            INSERT INTO outbox_messages (message_id, message_type, body, dispatched_at)
            SELECT gen_random_uuid(), 'recent', '{}', @now - interval '6 days' FROM generate_series(1, 2);
            INSERT INTO outbox_messages (message_id, message_type, body, parked_at) VALUES (gen_random_uuid(), 'parked', '{}', @now - interval '30 days');
            INSERT INTO outbox_messages (message_id, message_type, body, created_at) VALUES (gen_random_uuid(), 'pending', '{}', @now - interval '30 days');
            INSERT INTO inbox_messages (consumer, message_id, received_at)
            SELECT 'expired', gen_random_uuid(), @now - interval '8 days' FROM generate_series(1, 10);
            INSERT INTO inbox_messages (consumer, message_id, received_at) VALUES ('recent', gen_random_uuid(), @now - interval '1 day');
            INSERT INTO test_retained (id, seen_at) VALUES (1, @now - interval '2 days'), (2, @now - interval '12 hours'), (3, NULL);
            """,
            new { now = Now });

        var deleted = await Retention.PruneOnceAsync(CancellationToken.None);

        var outbox = await _host.QueryAsync<string>("SELECT message_type FROM outbox_messages ORDER BY message_type");
        var inbox = await _host.QueryAsync<string>("SELECT consumer FROM inbox_messages");
        var retained = await _host.QueryAsync<long>("SELECT id FROM test_retained ORDER BY id");
        Assert.Multiple(() =>
        {
            Assert.That(deleted!["outbox_messages"], Is.EqualTo(10), "ten expired rows, more than one batch of three");
            Assert.That(deleted["inbox_messages"], Is.GreaterThanOrEqualTo(10), "ten expired rows (and the other test's, if it ran first)");
            Assert.That(deleted["test_retained"], Is.EqualTo(1), "the table's own one-day period applies");
            Assert.That(outbox, Is.EqualTo(new[] { "parked", "pending", "recent", "recent" }));
            Assert.That(inbox, Is.EqualTo(new[] { "recent" }));
            Assert.That(retained, Is.EqualTo(new long[] { 2, 3 }));
        });

        var metrics = await _host.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.That(metrics, Does.Match("""retention_rows_deleted_total\{[^}]*table="outbox_messages"[^}]*\} 10"""), "counted apart from dispatch");
    }

    [Test]
    public async Task A_second_instance_skips_the_pass_while_one_holds_the_lock()
    {
        await _host.ExecuteAsync(
            "INSERT INTO inbox_messages (consumer, message_id, received_at) VALUES ('locked-out', gen_random_uuid(), @old)",
            new { old = Now.AddDays(-9) });
        await using var other = new NpgsqlConnection(_host.ConnectionString);
        await other.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", other))
        {
            take.Parameters.AddWithValue("key", RetentionService.LockKey);
            await take.ExecuteNonQueryAsync();
        }

        var skipped = await Retention.PruneOnceAsync(CancellationToken.None);
        var left = await _host.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE consumer = 'locked-out'");
        // A session lock outlives a pooled connection's Dispose: release it, or it would hold off the other test.
        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", other))
        {
            release.Parameters.AddWithValue("key", RetentionService.LockKey);
            await release.ExecuteNonQueryAsync();
        }

        Assert.Multiple(() =>
        {
            Assert.That(skipped, Is.Null, "another instance is pruning");
            Assert.That(left, Is.EqualTo(1), "nothing was deleted by the skipped pass");
        });
    }
}
