using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>The Scoring service hosted against the test servers, with helpers to publish, wait and query.</summary>
internal sealed class ScoringHost : IAsyncDisposable
{
    public const string Organization = "00D000000000001EAA";

    private ScoringHost(ServiceHost<Program> host, TimeProvider clock)
    {
        Host = host;
        Clock = clock;
        Bus = host.Services.GetRequiredService<IBus>();
        Bus.ConnectReceiveObserver(Received);
    }

    public ServiceHost<Program> Host { get; }

    public IBus Bus { get; }

    public ConsumedMessages Received { get; } = new();

    /// <summary>Scoring's clock: by default a fake one standing at <see cref="Now"/>.</summary>
    public TimeProvider Clock { get; }

    /// <summary>Scoring's "now" when a test starts: messages are built from it, so scores do not depend on the day the suite runs.</summary>
    public static DateTimeOffset Now => TestClock.Now;

    public static DateOnly Today => TestClock.Today;

    /// <param name="clock">
    /// Scoring's TimeProvider; by default a <see cref="TestClock"/> standing at <see cref="Now"/>, so what a test
    /// expects does not depend on the day it runs. Pass <see cref="TimeProvider.System"/> where time must pass on its
    /// own (the outbox dispatcher's back-off after a failed round waits on this clock), or a FakeTimeProvider the test advances.
    /// </param>
    public static async Task<ScoringHost> StartAsync(IDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        clock ??= TestClock.Start();
        return new(await ServiceHost<Program>.StartAsync("scoring", settings, TestClock.Replace(clock)), clock);
    }

    /// <summary>An open, reasonably healthy opportunity as of today; tests change what they need.</summary>
    public static OpportunityChanged Opportunity(string id, DateTimeOffset version, string stage = "Id. Decision Makers",
        string ownerId = "005000000000002AAA", IReadOnlyDictionary<string, string?>? fields = null, decimal amount = 50_000) => new()
    {
        OpportunityId = id,
        OrganizationId = Organization,
        SourceVersion = version,
        OccurredAt = version,
        Source = "webhook",
        ChangeType = "UPDATE",
        ChangedFields = ["StageName"],
        Opportunity = new OpportunitySnapshot
        {
            Id = id,
            Name = "Test deal",
            OwnerId = ownerId,
            AccountId = "001000000000001AAA",
            StageName = stage,
            Amount = amount,
            IsClosed = false,
            IsWon = false,
            CloseDate = Today.AddDays(60),
            CreatedDate = Now.AddDays(-5),
            LastActivityDate = Today,
            NextStep = "Demo on Tuesday",
            CustomFields = fields ?? new Dictionary<string, string?>(),
        },
        History = new OpportunityHistorySummary { CurrentStageEnteredAt = Now.AddDays(-2) },
        ContactRoles =
        [
            new ContactRoleSnapshot { ContactId = "003000000000001AAA", Role = "Economic Buyer" },
            new ContactRoleSnapshot { ContactId = "003000000000002AAA", Role = "Decision Maker" },
            new ContactRoleSnapshot { ContactId = "003000000000003AAA", Role = "Champion" },
        ],
    };

    /// <summary>Publishes and waits until the message's receive finished (its batch committed).</summary>
    public async Task<Guid> PublishAndWaitAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? NewId.NextGuid();
        var before = Received.Count(id);
        await Bus.Publish(message, context => context.MessageId = id);
        await Received.WaitForAsync(id, before + 1);
        return id;
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? default!;
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }

    public Task<long> ScoredMessagesAsync(string opportunityId) => ScalarAsync<long>(
        "SELECT count(*) FROM outbox_entries WHERE message_type LIKE 'PipelineCoach.Contracts.Scoring.OpportunityScored,%' AND body::jsonb->>'opportunityId' = @opportunityId",
        new { opportunityId });

    public Task<IReadOnlyList<string>> ScoredBodiesAsync(string opportunityId) => QueryAsync<string>(
        "SELECT body FROM outbox_entries WHERE message_type LIKE 'PipelineCoach.Contracts.Scoring.OpportunityScored,%' AND body::jsonb->>'opportunityId' = @opportunityId ORDER BY id",
        new { opportunityId });

    public HttpClient Client(params string[] scopes)
    {
        var client = Host.CreateClient();
        return scopes.Length == 0 ? client : client.WithScopes(scopes);
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"Empty body ({(int)response.StatusCode})");
    }

    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
