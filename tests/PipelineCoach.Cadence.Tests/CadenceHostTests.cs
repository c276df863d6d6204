using System.Net;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests;

public sealed class When_the_cadence_service_starts
{
    private ServiceHost<Program> _cadence = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cadence = await ServiceHost<Program>.StartAsync("cadence");

    [OneTimeTearDown]
    public async Task StopAsync() => await _cadence.DisposeAsync();

    [Test]
    public async Task Should_apply_its_migrations_and_report_ready()
    {
        using var client = _cadence.CreateClient();
        var ready = await Eventually.ValueAsync(
            async () => await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync(),
            text => text.Contains("\"status\":\"Healthy\"", StringComparison.Ordinal), "Cadence to become ready");
        Assert.That(ready, Does.Contain("postgresql").And.Contain("masstransit"));
    }

    [Test]
    public async Task Should_answer_live_and_serve_swagger_ui()
    {
        using var client = _cadence.CreateClient();
        using var live = await client.GetAsync("/health/live");
        using var swagger = await client.GetAsync("/swagger/index.html");
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(swagger.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
