using Dapper;
using Npgsql;
using PipelineCoach.ServiceDefaults.Webhooks;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.Integration;

/// <summary>Sync hosted against real PostgreSQL and RabbitMQ, with a webhook secret and an org id.</summary>
internal sealed class SyncHost : IAsyncDisposable
{
    public const string OrganizationId = "00D000000000001EAA";

    private SyncHost(ServiceHost<Program> host, WebhookSigner signer)
    {
        Host = host;
        Signer = signer;
    }

    public ServiceHost<Program> Host { get; }

    public WebhookSigner Signer { get; }

    public static async Task<SyncHost> StartAsync()
    {
        var secret = StandardWebhooks.NewSecret();
        var host = await ServiceHost<Program>.StartAsync("sync", new Dictionary<string, string?>
        {
            ["Salesforce:OrganizationId"] = OrganizationId,
            ["Webhooks:ChangeEventSecrets:0"] = secret,
            ["Webhooks:MaxBodyBytes"] = "65536",
        });
        return new SyncHost(host, new WebhookSigner(secret));
    }

    public async Task<long> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>One Sync host (and an anonymous client) shared by the tests of a fixture.</summary>
public abstract class SyncFixture
{
    private protected SyncHost Sync { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartSyncAsync()
    {
        Sync = await SyncHost.StartAsync();
        Client = Sync.Host.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopSyncAsync()
    {
        Client.Dispose();
        await Sync.DisposeAsync();
    }
}
