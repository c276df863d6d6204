using System.Net.Http.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests;

/// <summary>
/// Notifications on its own database with a standing clock, sending email to the fixtures' maildev and allowed to
/// reach private targets (the tests' local receivers): publish what Sync, Scoring and Cadence publish, call the API
/// and the channel senders, then read the delivery log, the mail and the tables.
/// </summary>
internal sealed class NotificationsHost : IAsyncDisposable
{
    public const string Org = "00D000000000001EAA";

    private readonly List<ServiceHost<Program>> _instances = [];
    private readonly ConsumedMessages _consumed = new();
    private readonly Action<IServiceCollection> _services;

    private NotificationsHost(FakeTimeProvider clock, IMaildevServer maildev, Action<IServiceCollection>? services)
    {
        Clock = clock;
        Maildev = maildev;
        var replaceClock = TestClock.Replace(clock);
        _services = services is null ? replaceClock : collection =>
        {
            replaceClock(collection);
            services(collection);
        };
    }

    /// <summary>The service's clock: it stands still unless a test advances it.</summary>
    public FakeTimeProvider Clock { get; }

    public IMaildevServer Maildev { get; }

    public ServiceHost<Program> Host => _instances[0];

    /// <param name="settings">Added to (or overriding) the host's own.</param>
    /// <param name="services">Replaces services after the service registered its own (the clock is replaced already).</param>
    public static async Task<NotificationsHost> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var maildev = await TestServers.MaildevAsync();
        var all = new Dictionary<string, string?>
        {
            ["Notifications:Email:Relays:0:Host"] = maildev.SmtpHost,
            ["Notifications:Email:Relays:0:Port"] = maildev.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Webhooks:AllowPrivateTargets"] = "true",
            ["Notifications:PollInterval"] = "00:00:00.100",
            ["Notifications:ConsumerBatchTimeLimit"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = new NotificationsHost(TestClock.Start(), maildev, services);
        host.Watch(await ServiceHost<Program>.StartAsync("notifications", all, host._services));
        return host;
    }

    /// <summary>Another instance on the same database and clock (a second replica, or the same one after a restart).</summary>
    public async Task<ServiceHost<Program>> StartInstanceAsync() => Watch(await ServiceHost<Program>.StartAsync(Host.Settings, _services));

    /// <summary>Stops an instance as a restart or a crash would.</summary>
    public async Task StopAsync(ServiceHost<Program> instance)
    {
        _instances.Remove(instance);
        await instance.DisposeAsync();
    }

    private ServiceHost<Program> Watch(ServiceHost<Program> instance)
    {
        instance.Services.GetRequiredService<IBus>().ConnectReceiveObserver(_consumed);
        _instances.Add(instance);
        return instance;
    }

    public HttpClient Client(params string[] scopes) => Host.Client(scopes);

    public HttpClient Reader() => Client(NotificationsScopes.Read);

    public HttpClient Writer() => Client(NotificationsScopes.Read, NotificationsScopes.Write);

    /// <summary>The first instance's sender for <paramref name="channel"/> (one of <see cref="ChannelNames"/>).</summary>
    public IChannelSender Sender(string channel) => Host.Services.GetServices<IChannelSender>().Single(sender => sender.Channel == channel);

    public async Task PublishAsync<T>(T message, ServiceHost<Program>? via = null) where T : class
    {
        var id = NewId.NextGuid();
        await (via ?? Host).Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = id);
        await _consumed.WaitForAsync(id, 1);
    }

    /// <summary>A user in the directory; returns the id.</summary>
    public async Task<string> UserAsync(string name, string? managerId = null, string zone = "America/New_York", string? email = null)
    {
        var id = TestIds.New("005");
        await PublishAsync(new UserChanged
        {
            UserId = id, OrganizationId = Org, SourceVersion = TestClock.Now, OccurredAt = TestClock.Now, Name = name,
            Email = email ?? $"{name.Replace(' ', '.').ToLowerInvariant()}.{id}@example.test", ManagerId = managerId, TimeZone = zone,
        });
        return id;
    }

    public async Task<string> OpportunityAsync(string name, decimal amount, string ownerId)
    {
        var id = TestIds.New("006");
        await PublishAsync(new OpportunityChanged
        {
            OpportunityId = id, OrganizationId = Org, SourceVersion = TestClock.Now, OccurredAt = TestClock.Now, Source = "webhook", ChangeType = "created",
            ChangedFields = [], Opportunity = new OpportunitySnapshot { Id = id, Name = name, Amount = amount, OwnerId = ownerId, StageName = "Proposal" },
        });
        return id;
    }

    public static OpportunityScored Scored(string opportunityId, string ownerId, string[] flags, string[]? previousFlags = null, string cause = ScoreCause.Change,
        DateTimeOffset? version = null, int score = 40) => new()
        {
            OpportunityId = opportunityId, OwnerId = ownerId, SourceVersion = version ?? TestClock.Now, OccurredAt = TestClock.Now,
            ScorecardId = "proactive", ScorecardVersion = 1, Score = score, Grade = "C", Flags = flags,
            PreviousScore = previousFlags is null ? null : 60, PreviousGrade = previousFlags is null ? null : "C", PreviousFlags = previousFlags ?? [],
            Changes = [.. flags.Select(f => $"flag '{f}' raised")], Cause = cause,
        };

    public async Task<IReadOnlyList<DeliveryView>> DeliveriesAsync(string query)
    {
        using var client = Reader();
        var page = await client.GetFromJsonAsync<PageOf>($"/api/v1/deliveries?{query}&limit=200");
        return page!.Items;
    }

    /// <summary>Waits until the recipient's deliveries satisfy <paramref name="done"/>.</summary>
    public Task<IReadOnlyList<DeliveryView>> DeliveriesAsync(string query, Func<IReadOnlyList<DeliveryView>, bool> done, string waitingFor) =>
        Eventually.ValueAsync(() => DeliveriesAsync(query), done, waitingFor);

    public Task<IReadOnlyList<MaildevMessage>> MailToAsync(string address, int count) =>
        Eventually.ValueAsync(() => Maildev.Mail.ToAsync(address), mail => mail.Count >= count, $"{count} email(s) to {address}");

    public async Task<string> EmailOfAsync(string userId)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        return await connection.QuerySingleAsync<string>("SELECT email FROM recipients WHERE user_id = @userId", new { userId });
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        await connection.ExecuteAsync(sql, parameters);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException($"No value from: {sql}");
    }

    /// <summary>Moves the clock on and wakes every instance's loops (they also poll every 100 ms of real time).</summary>
    public void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        foreach (var instance in _instances)
        {
            var wake = instance.Services.GetRequiredService<DeliveryWake>();
            wake.Dispatch.Notify();
            wake.Digest.Notify();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    private sealed record PageOf(List<DeliveryView> Items, string? NextCursor);
}
