using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>Every write refuses bad input with a 400 problem naming the field (413 when too large), storing nothing.</summary>
public sealed class When_bad_input_reaches_the_chat_destinations_api
{
    private ServiceHost<Program> _notifications = null!;
    private Guid _existing;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _notifications = await ServiceHost<Program>.StartAsync("notifications", new Dictionary<string, string?> { ["Notifications:Webhooks:AllowPrivateTargets"] = "true" });
        _existing = (await ChatApi.CreateAsync(_notifications, "slack", "http://127.0.0.1:9/services/existing"))["id"]!.GetValue<Guid>();
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
        var before = await ChatApi.FootprintAsync(_notifications);
        using var client = ChatApi.Writer(_notifications);

        var created = await client.PostAsync(ChatApi.Route, ChatApi.Json(body));
        var replaced = await client.PutAsync($"{ChatApi.Route}/{_existing}", ChatApi.Json(body));

        Assert.That(await ChatApi.ErrorFieldsAsync(created), Has.Member(field));
        Assert.That(await ChatApi.ErrorFieldsAsync(replaced), Has.Member(field));
        Assert.That(await ChatApi.FootprintAsync(_notifications), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_require_a_url_on_create_only()
    {
        var before = await ChatApi.FootprintAsync(_notifications);
        using var client = ChatApi.Writer(_notifications);

        var created = await client.PostAsJsonAsync(ChatApi.Route, new { type = "slack", name = "n", signals = new[] { "escalation" } });

        Assert.That(await ChatApi.ErrorFieldsAsync(created), Is.EqualTo(new[] { "url" }));
        Assert.That(await ChatApi.FootprintAsync(_notifications), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_refuse_a_name_over_200_characters()
    {
        using var client = ChatApi.Writer(_notifications);

        var response = await client.PostAsJsonAsync(ChatApi.Route, new { type = "slack", url = "http://127.0.0.1:9/h", name = new string('n', 201), signals = new[] { "escalation" } });

        Assert.That(await ChatApi.ErrorFieldsAsync(response), Is.EqualTo(new[] { "name" }));
    }

    [Test]
    public async Task Should_name_every_bad_field_at_once()
    {
        using var client = ChatApi.Writer(_notifications);

        var response = await client.PostAsync(ChatApi.Route, ChatApi.Json("""{ "type": "irc", "url": "gopher://x", "managerId": "x", "signals": ["x"] }"""));

        Assert.That(await ChatApi.ErrorFieldsAsync(response), Is.EquivalentTo(new[] { "type", "url", "name", "managerId", "signals[0]" }));
    }

    [Test]
    public async Task Should_refuse_oversized_bodies_with_413_on_every_write()
    {
        var before = await ChatApi.FootprintAsync(_notifications);
        var huge = $$"""{ "type": "slack", "url": "http://127.0.0.1:9/h", "name": "big", "signals": ["escalation"]{{new string(' ', 70 * 1024)}} }""";
        using var client = ChatApi.Writer(_notifications);

        foreach (var (method, url) in new[] { (HttpMethod.Post, ChatApi.Route), (HttpMethod.Put, $"{ChatApi.Route}/{_existing}") })
        {
            var response = await client.SendAsync(new HttpRequestMessage(method, url) { Content = ChatApi.Json(huge) });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), url);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), url);

            // Without a Content-Length the limit holds while reading.
            var unsized = await _notifications.Server.SendAsync(context =>
            {
                context.Request.Method = method.Method;
                context.Request.Path = url;
                context.Request.Headers.Authorization = $"Bearer {TestTokens.Create(NotificationsScopes.Read, NotificationsScopes.Write)}";
                context.Request.ContentType = "application/json";
                context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(huge));
            });
            Assert.That(unsized.Request.ContentLength, Is.Null);
            Assert.That(unsized.Response.StatusCode, Is.EqualTo(StatusCodes.Status413PayloadTooLarge), $"{url} without Content-Length");
        }

        Assert.That(await ChatApi.FootprintAsync(_notifications), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_answer_404_problems_for_unknown_destinations_storing_nothing()
    {
        var before = await ChatApi.FootprintAsync(_notifications);
        using var client = ChatApi.Writer(_notifications);
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

            Assert.That(await ChatApi.FootprintAsync(_notifications), Is.EqualTo(before));
        });
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=201", "limit")]
    [TestCase("limit=ten", "limit")]
    [TestCase("cursor=not-a-cursor", "cursor")]
    [TestCase("cursor=AAAA", "cursor")]
    public async Task Should_refuse_a_bad_list_query_naming_the_parameter(string query, string field)
    {
        using var client = ChatApi.Writer(_notifications);

        Assert.That(await ChatApi.ErrorFieldsAsync(await client.GetAsync($"{ChatApi.Route}?{query}")), Is.EqualTo(new[] { field }));
    }
}
