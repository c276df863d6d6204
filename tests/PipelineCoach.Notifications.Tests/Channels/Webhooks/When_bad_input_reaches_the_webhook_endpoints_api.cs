using System.Net;
using System.Text.Json.Nodes;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

/// <summary>Every webhook-endpoints route refuses bad input with a 400 problem naming the field (404, 413), storing nothing.</summary>
public sealed class When_bad_input_reaches_the_webhook_endpoints_api
{
    private const string Valid = """{ "url": "https://hooks.example.com/valid", "signals": ["opportunity-risk"], "description": "CRM bridge" }""";

    private NotificationsHost _notifications = null!;
    private Guid _existing;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _notifications = await NotificationsHost.StartAsync();
        _existing = (await _notifications.CreateEndpointAsync("https://hooks.example.com/existing"))["id"]!.GetValue<Guid>();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _notifications.DisposeAsync();

    // Each body, and the field its error must name. Private targets are allowed in this host: the refusals below hold anyway.
    [TestCase("""{ "url": "ftp://hooks.example.com/x", "signals": ["opportunity-risk"] }""", "url")]
    [TestCase("""{ "url": "file:///etc/passwd", "signals": ["opportunity-risk"] }""", "url")]
    [TestCase("""{ "url": "https://user:secret@hooks.example.com/x", "signals": ["opportunity-risk"] }""", "url")]
    [TestCase("""{ "url": "http://169.254.169.254/latest/meta-data/", "signals": ["opportunity-risk"] }""", "url")]
    [TestCase("""{ "url": "http://[fd00:ec2::254]/", "signals": ["opportunity-risk"] }""", "url")]
    [TestCase("""{ "url": "http://[::ffff:169.254.169.254]/", "signals": ["opportunity-risk"] }""", "url")]
    [TestCase("""{ "url": "hooks.example.com/x", "signals": ["opportunity-risk"] }""", "url")]
    [TestCase("""{ "url": " ", "signals": ["opportunity-risk"] }""", "url")]
    [TestCase("""{ "signals": ["opportunity-risk"] }""", "url")]
    [TestCase("""{ "url": 42, "signals": ["opportunity-risk"] }""", "url")]
    [TestCase("""{ "url": "https://hooks.example.com/x" }""", "signals")]
    [TestCase("""{ "url": "https://hooks.example.com/x", "signals": [] }""", "signals")]
    [TestCase("""{ "url": "https://hooks.example.com/x", "signals": ["opportunity-risky"] }""", "signals")]
    [TestCase("""{ "url": "https://hooks.example.com/x", "signals": ["digest"] }""", "signals")]
    [TestCase("""{ "url": "https://hooks.example.com/x", "signals": [null] }""", "signals")]
    [TestCase("""{ "url": "https://hooks.example.com/x", "signals": ["escalation", "escalation"] }""", "signals")]
    [TestCase("""{ "url": "https://hooks.example.com/x", "signals": "escalation" }""", "signals")]
    [TestCase("""{ "url": "https://hooks.example.com/x", "signals": [7] }""", "signals[0]")]
    [TestCase("""{ "url": "https://hooks.example.com/x", "signals": ["escalation"], "description": 5 }""", "description")]
    [TestCase("""{ "url": "https://hooks.example.com/x", "signals": ["escalation"] """, "body")]
    [TestCase("""[1, 2]""", "body")]
    [TestCase("""null""", "body")]
    [TestCase("", "body")]
    public async Task Should_refuse_a_bad_endpoint_naming_the_field(string body, string field)
    {
        var before = await _notifications.EndpointsFootprintAsync();
        using var client = _notifications.Writer();

        var created = await client.PostAsync("/api/v1/webhook-endpoints", JsonBody.Of(body));
        var replaced = await client.PutAsync($"/api/v1/webhook-endpoints/{_existing}", JsonBody.Of(body));

        Assert.That(await ApiProblems.ErrorFieldsAsync(created), Has.Member(field));
        Assert.That(await ApiProblems.ErrorFieldsAsync(replaced), Has.Member(field));
        Assert.That(await _notifications.EndpointsFootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_refuse_a_description_over_500_characters()
    {
        var before = await _notifications.EndpointsFootprintAsync();
        using var client = _notifications.Writer();
        var body = new JsonObject { ["url"] = "https://hooks.example.com/x", ["signals"] = new JsonArray("escalation"), ["description"] = new string('d', 501) }.ToJsonString();

        var created = await client.PostAsync("/api/v1/webhook-endpoints", JsonBody.Of(body));
        var replaced = await client.PutAsync($"/api/v1/webhook-endpoints/{_existing}", JsonBody.Of(body));

        Assert.That(await ApiProblems.ErrorFieldsAsync(created), Is.EqualTo(new[] { "description" }));
        Assert.That(await ApiProblems.ErrorFieldsAsync(replaced), Is.EqualTo(new[] { "description" }));
        Assert.That(await _notifications.EndpointsFootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_refuse_an_oversized_body_with_413()
    {
        var before = await _notifications.EndpointsFootprintAsync();
        var body = new JsonObject { ["url"] = "https://hooks.example.com/x", ["signals"] = new JsonArray("escalation"), ["description"] = new string('d', 70_000) }.ToJsonString();

        await ApiProblems.AssertTooLargeAsync(_notifications.Host, HttpMethod.Post, "/api/v1/webhook-endpoints", body, NotificationsScopes.Read, NotificationsScopes.Write);
        await ApiProblems.AssertTooLargeAsync(_notifications.Host, HttpMethod.Put, $"/api/v1/webhook-endpoints/{_existing}", body, NotificationsScopes.Read, NotificationsScopes.Write);

        Assert.That(await _notifications.EndpointsFootprintAsync(), Is.EqualTo(before));
    }

    [TestCase("not-a-guid")]
    [TestCase("0b5d3a6e-8d8e-4c1e-9a39-3f0f7d6c2b11")]
    public async Task Should_answer_404_for_an_unknown_endpoint_on_every_route(string id)
    {
        var before = await _notifications.EndpointsFootprintAsync();
        using var client = _notifications.Writer();

        HttpResponseMessage[] responses =
        [
            await client.GetAsync($"/api/v1/webhook-endpoints/{id}"),
            await client.PutAsync($"/api/v1/webhook-endpoints/{id}", JsonBody.Of(Valid)),
            await client.DeleteAsync($"/api/v1/webhook-endpoints/{id}"),
            await client.PostAsync($"/api/v1/webhook-endpoints/{id}/rotate-secret", null),
            await client.PostAsync($"/api/v1/webhook-endpoints/{id}/enable", null),
            await client.PostAsync($"/api/v1/webhook-endpoints/{id}/disable", null),
        ];

        Assert.Multiple(async () =>
        {
            foreach (var response in responses)
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), response.RequestMessage!.Method + " " + response.RequestMessage.RequestUri);
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            }

            Assert.That(await _notifications.EndpointsFootprintAsync(), Is.EqualTo(before));
        });
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=201", "limit")]
    [TestCase("limit=ten", "limit")]
    [TestCase("limit=-1", "limit")]
    [TestCase("cursor=not-a-cursor", "cursor")]
    [TestCase("cursor=AAAA", "cursor")]
    [TestCase("cursor=%21%21%21%21", "cursor")]
    public async Task Should_refuse_a_bad_list_query_naming_the_parameter(string query, string field)
    {
        using var client = _notifications.Writer();

        var response = await client.GetAsync($"/api/v1/webhook-endpoints?{query}");

        Assert.That(await ApiProblems.ErrorFieldsAsync(response), Is.EqualTo(new[] { field }));
    }
}
