using System.Diagnostics;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.LoadTest;

/// <summary>The directory as the consumers build it from Sync's events, and subscriptions.</summary>
internal static class Seeding
{
    /// <summary>Publishes every message through MassTransit, many at once (each publish waits for the broker's confirm).</summary>
    private static Task PublishAllAsync<T>(ServiceHost<Program> host, IEnumerable<T> messages) where T : class
    {
        var bus = host.Services.GetRequiredService<IBus>();
        return Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 256 },
            async (message, cancellationToken) => await bus.Publish(message, cancellationToken));
    }

    /// <summary>
    /// The directory from <c>UserChanged</c> and <c>OpportunityChanged</c>, through the service's consumers; waits until
    /// every user and opportunity is stored.
    /// </summary>
    public static async Task DirectoryAsync(ServiceHost<Program> host, Org org, DateTimeOffset now, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await PublishAllAsync(host, org.UserMessages(now));
        await PublishAllAsync(host, org.OpportunityMessages(now));
        await using var connection = new NpgsqlConnection(host.DatabaseConnectionString);
        await connection.OpenAsync();
        var counts = await Eventually.ValueAsync(
            () => connection.QuerySingleAsync<(long Users, long Opportunities)>("SELECT (SELECT count(*) FROM recipients), (SELECT count(*) FROM opportunities)"),
            c => c.Users == org.Users && c.Opportunities == org.Opportunities,
            $"{org.Users} recipients and {org.Opportunities} opportunities", timeout);
        await connection.ExecuteAsync("VACUUM ANALYZE");
        Console.WriteLine($"# directory: {counts.Users:N0} recipients ({org.Directors:N0} directors, {org.Managers:N0} managers, {org.Reps:N0} reps over {SeedZones.All.Length} zones) "
            + $"and {counts.Opportunities:N0} opportunities, through UserChanged and OpportunityChanged, in {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Every director subscribes to the risks of their whole organisation (the scope is their own team, two levels down).</summary>
    public static async Task DirectorSubscriptionsAsync(ServiceHost<Program> host, Org org)
    {
        await using var connection = new NpgsqlConnection(host.DatabaseConnectionString);
        var directors = Enumerable.Range(0, org.Directors).Select(Org.DirectorId).ToArray();
        await connection.ExecuteAsync(
            """
            INSERT INTO subscriptions (id, subscriber_id, signal, manager_id)
            SELECT gen_random_uuid(), d, 'opportunity-risk', d FROM unnest(@directors::char(18)[]) AS x(d)
            """, new { directors });
        Console.WriteLine($"# subscriptions: each of the {directors.Length:N0} directors to opportunity-risk for their organisation");
    }
}
