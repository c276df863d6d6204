using System.Net;
using System.Net.Http.Json;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>Every write refuses bad input with a 400 problem naming the field (413 when too large), storing nothing.</summary>
public sealed class When_bad_input_reaches_the_chat_destinations_api
{
    private NotificationsHost _notifications = null!;
    private Guid _existing;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _notifications = await NotificationsHost.StartAsync();
        _existing = (await _notifications.CreateDestinationAsync("slack", "http://127.0.0.1:9/services/existing"))["id"]!.GetValue<Guid>();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _notifications.DisposeAsync();

    // Each body is refused on create and on replace, naming the field.
    [TestCase("""{ "type": "discord", "url": "http://127.0.0.1:9/h", "name": "n", "signals": ["escalation"] }""", "type")]
    [TestCase("""{ "url": "http://127.0.0.1:9/h", "name": "n", "signals": ["escalation"] }""", "type")]
    [TestCase("""{ "type": "slack", "url": "ftp://127.0.0.1/h", "name": "n", "signals": ["escalation"] }""", "url")]
    [TestCase("""{ "type": "slack", "url": "http://user:pass@127.0.0.1:9/h", "name": "n", "signals": ["escalation"] }""", "url")]
    [TestCase("""{ "type": "slack", "url": "http://169.254.169.254/latest/meta-data", "name": "n", "signals": ["escalation"] }""", "url")]
    [TestCase("""{ "type": "teams", "url": "http://[fd00:ec2::254]/", "name": "n", "signals": ["escalation"] }""", "url")]
    [TestCase("""{ "type": "slack", "url": "/relative/path", "name": "n", "signals": ["escalation"] }""", "url")]
    [TestCase("""{ "type": "slack", "url": "", "name": "n", "signals": ["escalation"] }""", "url")]
    [TestCase("""{ "type": "slack", "url": 42, "name": "n", "signals": ["escalation"] }""", "url")]
    [TestCase("""{ "type": "slack", "url": "http://127.0.0.1:9/h", "signals": ["escalation"] }""", "name")]
    [TestCase("""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "  ", "signals": ["escalation"] }""", "name")]
    [TestCase("""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "n", "managerId": "005ABC", "signals": ["escalation"] }""", "managerId")]
    [TestCase("""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "n", "managerId": "005000000000001", "signals": ["escalation"] }""", "managerId")]
    [TestCase("""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "n", "managerId": "005000000000001-AA", "signals": ["escalation"] }""", "managerId")]
    [TestCase("""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "n" }""", "signals")]
    [TestCase("""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "n", "signals": [] }""", "signals")]
    [TestCase("""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "n", "signals": ["escalation", "escalation"] }""", "signals")]
    [TestCase("""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "n", "signals": "escalation" }""", "signals")]
    [TestCase("""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "n", "signals": ["nope"] }""", "signals[0]")]
    [TestCase("""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "n", "signals": ["escalation", "digest"] }""", "signals[1]")]
    [TestCase("""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "n", "signals": ["escalation", null] }""", "signals[1]")]
    [TestCase("""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "n", "signals": ["escalation" """, "signals[1]")]
    [TestCase("""{ "type": "slack", "name": 'n' }""", "name")]
    [TestCase("""[1, 2]""", "body")]
    [TestCase("""null""", "body")]
    [TestCase("", "body")]
    public async Task Should_refuse_a_bad_destination_naming_the_field(string body, string field)
    {
        var before = await _notifications.DestinationsFootprintAsync();
        using var client = _notifications.Writer();

        var created = await client.PostAsync(ChatApi.Route, JsonBody.Of(body));
        var replaced = await client.PutAsync($"{ChatApi.Route}/{_existing}", JsonBody.Of(body));

        Assert.That(await ApiProblems.ErrorFieldsAsync(created), Has.Member(field));
        Assert.That(await ApiProblems.ErrorFieldsAsync(replaced), Has.Member(field));
        Assert.That(await _notifications.DestinationsFootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_require_a_url_on_create_only()
    {
        var before = await _notifications.DestinationsFootprintAsync();
        using var client = _notifications.Writer();

        var created = await client.PostAsJsonAsync(ChatApi.Route, new { type = "slack", name = "n", signals = new[] { "escalation" } });

        Assert.That(await ApiProblems.ErrorFieldsAsync(created), Is.EqualTo(new[] { "url" }));
        Assert.That(await _notifications.DestinationsFootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_refuse_a_name_over_200_characters()
    {
        using var client = _notifications.Writer();

        var response = await client.PostAsJsonAsync(ChatApi.Route, new { type = "slack", url = "http://127.0.0.1:9/h", name = new string('n', 201), signals = new[] { "escalation" } });

        Assert.That(await ApiProblems.ErrorFieldsAsync(response), Is.EqualTo(new[] { "name" }));
    }

    [Test]
    public async Task Should_name_every_bad_field_at_once()
    {
        using var client = _notifications.Writer();

        var response = await client.PostAsync(ChatApi.Route, JsonBody.Of("""{ "type": "irc", "url": "gopher://x", "managerId": "x", "signals": ["x"] }"""));

        Assert.That(await ApiProblems.ErrorFieldsAsync(response), Is.EquivalentTo(new[] { "type", "url", "name", "managerId", "signals[0]" }));
    }

    [Test]
    public async Task Should_refuse_oversized_bodies_with_413_on_every_write()
    {
        var before = await _notifications.DestinationsFootprintAsync();
        var huge = $$"""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "big", "signals": ["escalation"]{{new string(' ', 70 * 1024)}} }""";

        foreach (var (method, url) in new[] { (HttpMethod.Post, ChatApi.Route), (HttpMethod.Put, $"{ChatApi.Route}/{_existing}") })
        {
            await ApiProblems.AssertTooLargeAsync(_notifications.Host, method, url, huge, NotificationsScopes.Read, NotificationsScopes.Write);
        }

        Assert.That(await _notifications.DestinationsFootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_answer_404_problems_for_unknown_destinations_storing_nothing()
    {
        var before = await _notifications.DestinationsFootprintAsync();
        using var client = _notifications.Writer();
        var unknown = $"{ChatApi.Route}/{Guid.NewGuid()}";

        var responses = new[]
        {
            await client.GetAsync(unknown),
            await client.PutAsJsonAsync(unknown, new { type = "slack", url = "http://127.0.0.1:9/h", name = "n", signals = new[] { "escalation" } }),
            await client.DeleteAsync(unknown),
            await client.GetAsync($"{ChatApi.Route}/not-a-guid"),
        };

        Assert.Multiple(async () =>
        {
            foreach (var response in responses)
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            }

            Assert.That(await _notifications.DestinationsFootprintAsync(), Is.EqualTo(before));
        });
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=201", "limit")]
    [TestCase("limit=ten", "limit")]
    [TestCase("cursor=not-a-cursor", "cursor")]
    [TestCase("cursor=AAAA", "cursor")]
    public async Task Should_refuse_a_bad_list_query_naming_the_parameter(string query, string field)
    {
        using var client = _notifications.Writer();

        Assert.That(await ApiProblems.ErrorFieldsAsync(await client.GetAsync($"{ChatApi.Route}?{query}")), Is.EqualTo(new[] { field }));
    }
}
