using PipelineCoach.Testing;

namespace PipelineCoach.ServiceDefaults.Tests;

/// <summary>
/// ServiceDefaults' scripts run before the service's, whatever their names: this assembly's scripts are named
/// <c>PipelineCoach.AnyService.Migrations.*</c>, which sorts before <c>PipelineCoach.ServiceDefaults.Migrations.*</c>,
/// and its first script builds on the outbox table.
/// </summary>
public sealed class When_a_service_migrates_its_database
{
    [Test]
    public async Task ServiceDefaults_scripts_run_first_then_the_services_in_number_order()
    {
        await using var host = await DefaultsHost.StartAsync("migration_order", migrations: typeof(When_a_service_migrates_its_database).Assembly);
        var applied = await host.QueryAsync<string>("SELECT scriptname FROM schemaversions ORDER BY schemaversionsid");

        var defaults = applied.TakeWhile(name => name.StartsWith("PipelineCoach.ServiceDefaults.Migrations.", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(defaults, Has.Count.GreaterThanOrEqualTo(4), "the outbox and inbox scripts come first");
            Assert.That(defaults, Is.Ordered, "in number order");
            Assert.That(applied.Skip(defaults.Count), Is.EqualTo(new[] { "PipelineCoach.AnyService.Migrations.0001_needs_the_outbox.sql" }),
                "then the service's own");
        });
    }
}
