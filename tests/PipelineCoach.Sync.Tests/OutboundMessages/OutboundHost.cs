using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Npgsql;
using PipelineCoach.ServiceDefaults.Webhooks;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.OutboundMessages;

/// <summary>Sync hosted against real PostgreSQL and RabbitMQ, configured for outbound messages.</summary>
internal sealed class OutboundHost : IAsyncDisposable
{
    public const string Path = "/webhooks/salesforce/outbound-messages";
    public const string IntegrationUserId = "005000000000009AAA";
    public const int MaxBodyBytes = 256 * 1024;

    private OutboundHost(ServiceHost<Program> host)
    {
        Host = host;
        Client = host.CreateClient();
    }

    public ServiceHost<Program> Host { get; }

    public HttpClient Client { get; }

    public static async Task<OutboundHost> StartAsync(string? secret = null, string? previousSecret = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Salesforce:OrganizationId"] = Envelopes.OrganizationId,
            ["Webhooks:ChangeEventSecrets:0"] = StandardWebhooks.NewSecret(),
            ["Webhooks:OutboundMessages:Secret"] = secret,
            ["Webhooks:OutboundMessages:IntegrationUserId"] = IntegrationUserId,
            ["Webhooks:OutboundMessages:MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (previousSecret is not null)
        {
            settings["Webhooks:OutboundMessages:PreviousSecrets:0"] = previousSecret;
        }

        return new OutboundHost(await ServiceHost<Program>.StartAsync("sync", settings));
    }

    public async Task<(HttpResponseMessage Response, string Body)> PostAsync(string xml, string path = Path)
    {
        using var content = new StringContent(xml, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/xml; charset=utf-8");
        var response = await Client.PostAsync(path, content);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public Task<long> CountAsync(string sql, object? parameters = null) => ScalarAsync<long>(sql, parameters);

    /// <summary>Every row an outbound message could have written, summed.</summary>
    public Task<long> StoredRowsAsync() => CountAsync(
        """
        SELECT (SELECT count(*) FROM outbound_notifications) + (SELECT count(*) FROM opportunities)
             + (SELECT count(*) FROM accounts) + (SELECT count(*) FROM users)
             + (SELECT count(*) FROM opportunity_contact_roles) + (SELECT count(*) FROM outbox_entries)
        """);

    /// <summary>Outbox bodies of <paramref name="messageType"/> mentioning <paramref name="id"/>.</summary>
    public async Task<IReadOnlyList<string>> OutboxBodiesAsync(string messageType, string id)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        var bodies = await connection.QueryAsync<string>(
            "SELECT body FROM outbox_entries WHERE message_type LIKE @type || ',%' AND body LIKE '%' || @id || '%' ORDER BY id",
            new { type = "PipelineCoach.Contracts.Sync." + messageType, id });
        return [.. bodies];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}
