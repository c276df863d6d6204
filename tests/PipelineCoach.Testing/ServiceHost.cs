using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PipelineCoach.Testing;

/// <summary>
/// A service hosted in-process (WebApplicationFactory) against real servers: its own fresh database, the shared
/// broker, and a local-mode signing key so tests can mint tokens.
/// </summary>
public sealed class ServiceHost<TProgram> : WebApplicationFactory<TProgram> where TProgram : class
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    private ServiceHost(Dictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        _settings = settings;
        _services = services;
    }

    public string DatabaseConnectionString => _settings["Database:ConnectionString"]!;

    /// <summary>Every setting this host runs with: pass them to <see cref="StartAsync(IReadOnlyDictionary{string, string?})"/> to start it again on the same database.</summary>
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    /// <summary>Starts a host with exactly these settings (e.g. another instance, or a restart, on the same database).</summary>
    /// <param name="services">Replaces services after the service registered its own, e.g. a FakeTimeProvider as its TimeProvider.</param>
    public static Task<ServiceHost<TProgram>> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var host = new ServiceHost<TProgram>(new Dictionary<string, string?>(settings), services);
        _ = host.Server;
        return Task.FromResult(host);
    }

    /// <summary>Creates a host with a new database named after <paramref name="service"/> plus any extra settings.</summary>
    /// <param name="services">Replaces services after the service registered its own, e.g. a FakeTimeProvider as its TimeProvider.</param>
    public static async Task<ServiceHost<TProgram>> StartAsync(string service, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var postgres = await TestServers.PostgresAsync();
        var rabbitMq = await TestServers.RabbitMqAsync();
        var all = TestSettings.For(await postgres.CreateDatabaseAsync($"test_{service}"), rabbitMq.Uri, settings);

        // Outside test projects (benchmarks, load drivers) WebApplicationFactory cannot find the service's project
        // folder; the build output holds everything the service reads (appsettings.json), so it serves as content root.
        var contentRootVariable = $"ASPNETCORE_TEST_CONTENTROOT_{typeof(TProgram).Assembly.GetName().Name!.ToUpperInvariant().Replace('.', '_')}";
        if (Environment.GetEnvironmentVariable(contentRootVariable) is null && !typeof(TProgram).Assembly.Location.Contains("Tests", StringComparison.Ordinal))
        {
            Environment.SetEnvironmentVariable(contentRootVariable, AppContext.BaseDirectory);
        }

        var host = new ServiceHost<TProgram>(all, services);
        _ = host.Server; // starts the host now: migrations run and the bus connects before the test goes on
        return host;
    }

    /// <summary>A client of the service's API; given scopes, it carries a bearer token granting them (none: anonymous).</summary>
    public HttpClient Client(params string[] scopes)
    {
        var client = CreateClient();
        return scopes.Length == 0 ? client : client.WithScopes(scopes);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }
}
