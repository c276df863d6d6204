using Dapper;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Npgsql;
using PipelineCoach.Cadence.Agendas;
using PipelineCoach.Contracts.Cadence;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Agendas;

/// <summary>Cadence hosted against the test servers, optionally calling a Scoring hosted in-process, with helpers to feed and read its read model.</summary>
internal sealed class CadenceAgendaHost : IAsyncDisposable
{
    private CadenceAgendaHost(ServiceHost<Program> host)
    {
        Host = host;
        Bus = host.Services.GetRequiredService<IBus>();
        Bus.ConnectReceiveObserver(Received);
    }

    public ServiceHost<Program> Host { get; }

    public IBus Bus { get; }

    public ConsumedMessages Received { get; } = new();

    /// <param name="scoring">Scoring's in-process server: Cadence's HTTP clients reach it through its handler.</param>
    public static async Task<CadenceAgendaHost> StartAsync<TScoring>(WebApplicationFactory<TScoring>? scoring, IDictionary<string, string?>? settings = null)
        where TScoring : class
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (scoring is not null)
        {
            all.TryAdd("Scoring:BaseUrl", "http://scoring.test");
        }

        var clock = TestClock.Replace(TestClock.Start());
        return new(await ServiceHost<Program>.StartAsync("cadence", all, services =>
        {
            clock(services);
            if (scoring is not null)
            {
                // Registered after the service's own client configuration, so it runs last and replaces the primary handler.
                services.ConfigureAll<HttpClientFactoryOptions>(options =>
                    options.HttpMessageHandlerBuilderActions.Add(builder => builder.PrimaryHandler = scoring.Server.CreateHandler()));
            }
        }));
    }

    public Task<IReadOnlyDictionary<Guid, IReadOnlyList<AgendaSection>>> BuildAsync(params FiringOccurrence[] occurrences) =>
        Host.Services.GetRequiredService<IAgendaBuilder>().BuildAsync(occurrences, CancellationToken.None);

    public async Task<Guid> PublishAndWaitAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? NewId.NextGuid();
        var before = Received.Count(id);
        await Bus.Publish(message, context => context.MessageId = id);
        await Received.WaitForAsync(id, before + 1);
        return id;
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        await connection.ExecuteAsync(sql, parameters);
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }

    /// <summary>A user as the UserChanged consumer would keep it.</summary>
    public Task AddUserAsync(string userId, string name, string? managerId = null) => ExecuteAsync(
        """
        INSERT INTO users (user_id, name, manager_id, is_active, source_version) VALUES (@userId, @name, @managerId, true, now())
        ON CONFLICT (user_id) DO UPDATE SET name = EXCLUDED.name, manager_id = EXCLUDED.manager_id
        """, new { userId, name, managerId });

    /// <summary>An opportunity as the OpportunityChanged consumer would keep it.</summary>
    public Task AddOpportunityAsync(AgendaDeal deal) => ExecuteAsync(
        """
        INSERT INTO opportunities (opportunity_id, name, owner_id, stage, amount, close_date, next_step, next_step_date, discount_percent,
                                   is_closed, created_date, stage_entered_at, source_version)
        VALUES (@OpportunityId, @Name, @OwnerId, @Stage, @Amount, @CloseDate, @NextStep, @NextStepDate, @DiscountPercent,
                @IsClosed, @CreatedDate, @StageEnteredAt, now())
        ON CONFLICT (opportunity_id) DO NOTHING
        """, deal);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
