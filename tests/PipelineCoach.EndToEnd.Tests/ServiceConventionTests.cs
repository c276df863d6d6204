using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.ServiceDefaults;
using PipelineCoach.ServiceDefaults.Retention;
using PipelineCoach.Testing;
using CadenceProgram = PipelineCoach.Cadence.Program;
using NotificationsProgram = PipelineCoach.Notifications.Program;
using ScoringProgram = PipelineCoach.Scoring.Program;
using SyncProgram = PipelineCoach.Sync.Program;

namespace PipelineCoach.EndToEnd.Tests;

/// <summary>
/// What every service owes by convention, checked on all four from their own endpoint data sources and databases:
/// every <c>/api</c> route names one of the service's scope policies and answers 401 without a token; ServiceDefaults'
/// migrations ran before the service's own.
/// </summary>
public sealed partial class When_any_service_runs
{
    private readonly Dictionary<string, IServiceHost> _hosts = [];

    private interface IServiceHost : IAsyncDisposable
    {
        IServiceProvider Services { get; }

        string DatabaseConnectionString { get; }

        HttpClient CreateClient();
    }

    private sealed class Host<TProgram>(ServiceHost<TProgram> host) : IServiceHost where TProgram : class
    {
        public IServiceProvider Services => host.Services;

        public string DatabaseConnectionString => host.DatabaseConnectionString;

        public HttpClient CreateClient() => host.CreateClient();

        public ValueTask DisposeAsync() => host.DisposeAsync();
    }

    public static IEnumerable<string> ServiceNames => ["sync", "scoring", "cadence", "notifications"];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _hosts["sync"] = new Host<SyncProgram>(await ServiceHost<SyncProgram>.StartAsync("conventions_sync", new Dictionary<string, string?>
        {
            ["Salesforce:OrganizationId"] = "00D000000000001EAA",
            ["Webhooks:ChangeEventSecrets:0"] = PipelineCoach.ServiceDefaults.Webhooks.StandardWebhooks.NewSecret(),
        }));
        _hosts["scoring"] = new Host<ScoringProgram>(await ServiceHost<ScoringProgram>.StartAsync("conventions_scoring"));
        _hosts["cadence"] = new Host<CadenceProgram>(await ServiceHost<CadenceProgram>.StartAsync("conventions_cadence"));
        _hosts["notifications"] = new Host<NotificationsProgram>(await ServiceHost<NotificationsProgram>.StartAsync("conventions_notifications"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var host in _hosts.Values)
        {
            await host.DisposeAsync();
        }
    }

    private static IReadOnlyList<RouteEndpoint> ApiEndpoints(IServiceHost host) =>
        [.. host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)];

    [TestCaseSource(nameof(ServiceNames))]
    public void Every_api_route_requires_one_of_the_services_scopes(string service)
    {
        var host = _hosts[service];
        var info = host.Services.GetRequiredService<ServiceInfo>();
        var endpoints = ApiEndpoints(host);
        var offenders = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is { } policy && info.Scopes.Contains(policy)))
            .Select(e => $"{string.Join(',', e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])} {e.RoutePattern.RawText}")
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(endpoints, Is.Not.Empty, "the service has an API (at least the outbox's operator endpoints)");
            Assert.That(offenders, Is.Empty, "routes without a scope policy");
        });
    }

    [TestCaseSource(nameof(ServiceNames))]
    public async Task Every_api_route_answers_401_without_a_token(string service)
    {
        var host = _hosts[service];
        using var client = host.CreateClient();
        var answers = new List<string>();
        foreach (var endpoint in ApiEndpoints(host))
        {
            var path = RouteParameter().Replace(endpoint.RoutePattern.RawText!, "1");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }

                using var response = await client.SendAsync(request);
                answers.Add($"{method} {path} -> {(int)response.StatusCode}");
            }
        }

        Assert.That(answers, Is.Not.Empty);
        Assert.That(answers, Is.All.EndsWith("-> 401"));
    }

    [TestCaseSource(nameof(ServiceNames))]
    public async Task ServiceDefaults_migrations_ran_before_the_services_own(string service)
    {
        await using var connection = new NpgsqlConnection(_hosts[service].DatabaseConnectionString);
        var applied = (await connection.QueryAsync<string>("SELECT scriptname FROM schemaversions ORDER BY schemaversionsid")).ToList();
        var defaults = applied.TakeWhile(name => name.StartsWith("PipelineCoach.ServiceDefaults.", StringComparison.Ordinal)).Count();
        Assert.Multiple(() =>
        {
            Assert.That(defaults, Is.EqualTo(applied.Count(name => name.StartsWith("PipelineCoach.ServiceDefaults.", StringComparison.Ordinal))),
                "every ServiceDefaults script came before any of the service's");
            Assert.That(defaults, Is.GreaterThanOrEqualTo(4));
        });
    }

    [Test]
    public void Sync_prunes_its_delivery_dedup_table_with_the_outbox_and_inbox()
    {
        var tables = _hosts["sync"].Services.GetServices<RetainedTable>().Select(t => t.Table);
        Assert.That(tables, Is.SupersetOf(new[] { "outbox_messages", "inbox_messages", "outbound_notifications" }));
    }

    [TestCaseSource(nameof(ServiceNames))]
    public async Task Health_metrics_and_swagger_stay_open(string service)
    {
        using var client = _hosts[service].CreateClient();
        var paths = new[] { "/health/live", "/health/ready", "/metrics", "/swagger/v1/swagger.json", "/swagger/index.html" };
        var answers = new List<string>();
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            answers.Add($"{path} -> {(int)response.StatusCode}");
        }

        Assert.That(answers, Is.All.Not.EndsWith("-> 401").And.All.Not.EndsWith("-> 403"));
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
