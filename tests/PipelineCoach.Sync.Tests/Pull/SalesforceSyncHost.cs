using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.SalesforceSimulator;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.ServiceDefaults.Webhooks;
using PipelineCoach.Sync.Reconciliation;
using PipelineCoach.Sync.WriteBack;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.Pull;

/// <summary>Sync on real PostgreSQL/RabbitMQ, pointed at an in-process Salesforce simulator (client-credentials flow).</summary>
internal sealed class SalesforceSyncHost : IAsyncDisposable
{
    private SalesforceSyncHost(SimulatorHost simulator, ServiceHost<Program> sync, WebhookSigner signer)
    {
        Signer = signer;
        Simulator = simulator;
        Sync = sync;
        Control = simulator.CreateClient(authenticated: false);
    }

    public SimulatorHost Simulator { get; }

    public ServiceHost<Program> Sync { get; }

    public HttpClient Control { get; }

    /// <summary>Signs change events with the secret Sync was configured with.</summary>
    public WebhookSigner Signer { get; }

    public Reconciler Reconciler => Sync.Services.GetRequiredService<Reconciler>();

    public ScoreWriter ScoreWriter => Sync.Services.GetRequiredService<ScoreWriter>();

    /// <summary>The simulator's org (counts of records per table, read under the org's lock).</summary>
    public int RecordCount(string table)
    {
        lock (Simulator.Org.Sync)
        {
            return Simulator.Org.Tables.Single(t => t.Name == table).Count;
        }
    }

    public static async Task<SalesforceSyncHost> StartAsync(int opportunities = 200, bool plantProblems = true,
        IDictionary<string, string?>? settings = null, string? jwtCertificatePem = null, TimeProvider? simulatorTime = null)
    {
        var simulator = await SimulatorApp.StartAsync(new SimulatorOptions
        {
            Org = new OrgGeneratorOptions { Seed = 7, Opportunities = opportunities, PlantProblems = plantProblems },
            TimeScale = 0.001,
            OAuth = new OAuthOptions { JwtCertificatePem = jwtCertificatePem },
            TimeProvider = simulatorTime ?? TimeProvider.System,
        });
        settings = settings is null ? null : settings.ToDictionary(kv => kv.Key, kv => kv.Value?.Replace("{username}", simulator.Org.IntegrationUser.Username, StringComparison.Ordinal));
        var secret = StandardWebhooks.NewSecret();
        var all = simulator.SyncConnectionSettings();
        all["Salesforce:Api:RetryDelay"] = "00:00:00.050";
        all["Sync:Reconcile:Enabled"] = "false";
        all["Sync:WriteBack:Enabled"] = "false";
        all["Sync:WriteBack:RetryDelay"] = "00:00:00";
        all["Webhooks:ChangeEventSecrets:0"] = secret;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new SalesforceSyncHost(simulator, await ServiceHost<Program>.StartAsync("sync", all), new WebhookSigner(secret));
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Sync.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? default!;
    }

    /// <summary>Changes a record in the org as a rep would (through the simulator's control API).</summary>
    public async Task EditAsync(string type, string id, object fields)
    {
        using var response = await Control.PatchAsJsonAsync($"control/records/{type}/{id}", fields);
        response.EnsureSuccessStatusCode();
    }

    public async Task SetFaultsAsync(object faults)
    {
        using var response = await Control.PostAsJsonAsync("control/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await Sync.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
