using System.Net;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.Integration;

public sealed class When_calling_the_sync_api : SyncFixture
{
    [Test]
    public async Task Should_answer_401_problem_without_a_token()
    {
        using var client = Sync.Host.CreateClient();
        using var response = await client.GetAsync($"/api/v1/opportunities/{ChangeEvents.NewOpportunityId()}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Should_answer_401_for_a_token_signed_with_another_key()
    {
        using var client = Sync.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Create(Convert.ToBase64String(new byte[32]), [SyncScopes.Read]));
        using var response = await client.GetAsync($"/api/v1/opportunities/{ChangeEvents.NewOpportunityId()}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Should_answer_403_problem_with_the_wrong_scope()
    {
        using var client = Sync.Host.CreateClient().WithScopes("scoring.read");
        using var response = await client.GetAsync($"/api/v1/opportunities/{ChangeEvents.NewOpportunityId()}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Should_answer_404_problem_for_an_unknown_opportunity_and_400_for_a_bad_id()
    {
        using var client = Sync.Host.CreateClient().WithScopes(SyncScopes.Read);
        using var missing = await client.GetAsync($"/api/v1/opportunities/{ChangeEvents.NewOpportunityId()}");
        using var bad = await client.GetAsync("/api/v1/opportunities/not-an-id");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("not a 15- or 18-character Salesforce id"));
    }

    [Test]
    public async Task Should_report_ready_with_database_and_broker_checks()
    {
        using var client = Sync.Host.CreateClient();
        var body = await Eventually.ValueAsync(
            async () => await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync(),
            text => text.Contains("\"status\":\"Healthy\"", StringComparison.Ordinal),
            "the service to become ready");
        Assert.That(body, Does.Contain("postgresql").And.Contain("masstransit"));
    }

    [Test]
    public async Task Should_expose_metrics_and_an_openapi_document_with_bearer_auth()
    {
        using var client = Sync.Host.CreateClient();
        using var warmup = await client.GetAsync("/health/live");
        var metrics = await client.GetStringAsync("/metrics");
        var openApi = await client.GetStringAsync("/swagger/v1/swagger.json");
        Assert.That(metrics, Does.Contain("# TYPE"));
        Assert.That(openApi, Does.Contain("/webhooks/salesforce/change-events").And.Contain("/api/v1/opportunities/{id}").And.Contain("bearer"));
    }
}
