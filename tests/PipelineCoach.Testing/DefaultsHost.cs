using Dapper;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.ServiceDefaults;

namespace PipelineCoach.Testing;

/// <summary>
/// A service made of nothing but ServiceDefaults (the same AddServiceDefaults/UseServiceDefaults every service uses),
/// on Kestrel at a free loopback port, with its own fresh database, the shared broker and the migrations embedded in
/// the calling assembly (<c>Migrations/*.sql</c>, after ServiceDefaults' own). For tests and load drivers of the shared
/// wiring (outbox, retention, auth) without any service's features.
/// </summary>
public sealed class DefaultsHost : IAsyncDisposable
{
    public const string AdminScope = "anyservice.admin";
    public const string ReadScope = "anyservice.read";

    private DefaultsHost(WebApplication app, string connectionString, string rabbitMqUri)
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

    /// <summary>
    /// Starts a host named <paramref name="name"/>. Its own migrations come from <paramref name="migrations"/>' embedded
    /// <c>Migrations/*.sql</c>; by default it has none beyond ServiceDefaults'.
    /// </summary>
    public static async Task<DefaultsHost> StartAsync(
        string name,
        IDictionary<string, string?>? settings = null,
        Action<IBusRegistrationConfigurator>? consumers = null,
        Action<IServiceCollection>? services = null,
        string? connectionString = null,
        System.Reflection.Assembly? migrations = null)
    {
        migrations ??= typeof(DefaultsHost).Assembly;
        var postgres = await TestServers.PostgresAsync();
        var rabbitMq = await TestServers.RabbitMqAsync();
        connectionString ??= await postgres.CreateDatabaseAsync($"test_{name}");
        var all = TestSettings.For(connectionString, rabbitMq.Uri, settings);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = migrations.GetName().Name });
        builder.Configuration.AddInMemoryCollection(all);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var info = new ServiceInfo(name.Replace('_', '-'), "ServiceDefaults under test", [ReadScope, AdminScope])
        {
            AdminScope = AdminScope,
            Assembly = migrations,
        };
        builder.AddServiceDefaults(info, bus => consumers?.Invoke(bus));
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseServiceDefaults();
        await app.StartAsync();
        return new DefaultsHost(app, connectionString, rabbitMq.Uri);
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
