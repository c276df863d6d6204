using Dapper;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.Testing;

namespace PipelineCoach.ServiceDefaults.Tests;

/// <summary>
/// A service made of nothing but ServiceDefaults (the same AddServiceDefaults/UseServiceDefaults every service uses),
/// on Kestrel at a free loopback port, with its own fresh database, the shared broker and the migrations of this
/// test assembly (which build on the outbox tables).
/// </summary>
internal sealed class OutboxHost : IAsyncDisposable
{
    public const string AdminScope = "anyservice.admin";
    public const string ReadScope = "anyservice.read";

    private OutboxHost(WebApplication app, string connectionString, string rabbitMqUri)
    {
        App = app;
        ConnectionString = connectionString;
        RabbitMqUri = rabbitMqUri;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        Http = new HttpClient { BaseAddress = new Uri(addresses.Addresses.First()) };
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public string ConnectionString { get; }

    public string RabbitMqUri { get; }

    public HttpClient Http { get; }

    public static async Task<OutboxHost> StartAsync(
        string name,
        IDictionary<string, string?>? settings = null,
        Action<IBusRegistrationConfigurator>? consumers = null,
        Action<IServiceCollection>? services = null,
        string? connectionString = null)
    {
        var postgres = await TestServers.PostgresAsync();
        var rabbitMq = await TestServers.RabbitMqAsync();
        connectionString ??= await postgres.CreateDatabaseAsync($"test_{name}");
        var all = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = connectionString,
            ["Messaging:RabbitMqUri"] = rabbitMq.Uri,
            ["Messaging:Outbox:PollInterval"] = "00:00:00.200",
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:Audience"] = TestTokens.Audience,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = typeof(OutboxHost).Assembly.GetName().Name });
        builder.Configuration.AddInMemoryCollection(all);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var info = new ServiceInfo(name.Replace('_', '-'), "ServiceDefaults under test", [ReadScope, AdminScope])
        {
            AdminScope = AdminScope,
            Assembly = typeof(OutboxHost).Assembly,
        };
        builder.AddServiceDefaults(info, bus => consumers?.Invoke(bus));
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseServiceDefaults();
        await app.StartAsync();
        return new OutboxHost(app, connectionString, rabbitMq.Uri);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync(sql, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
