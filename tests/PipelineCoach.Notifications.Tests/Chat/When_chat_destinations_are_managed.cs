using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>The chat-destinations API's happy paths; the URL goes in and never comes out.</summary>
public sealed class When_chat_destinations_are_managed
{
    private NotificationsHost _notifications = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _notifications = await NotificationsHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _notifications.DisposeAsync();

    [Test]
    public async Task Should_create_a_destination_showing_its_url_only_as_scheme_and_host()
    {
        const string url = "http://127.0.0.1:9/services/T0001/B0001/secretToken123";
        using var client = _notifications.Writer();

        var response = await client.PostAsJsonAsync(ChatApi.Route, new
        {
            type = "slack", url, name = "Sales leadership", managerId = ChatApi.ManagerId, signals = new[] { "opportunity-risk", "escalation" },
        });

        var text = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(text)!;
        var id = json["id"]!.GetValue<Guid>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/chat-destinations/{id}"));
            Assert.That(json["type"]!.GetValue<string>(), Is.EqualTo("slack"));
            Assert.That(json["name"]!.GetValue<string>(), Is.EqualTo("Sales leadership"));
            Assert.That(json["managerId"]!.GetValue<string>(), Is.EqualTo(ChatApi.ManagerId));
            Assert.That(json["signals"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "opportunity-risk", "escalation" }));
            Assert.That(json["url"]!.GetValue<string>(), Is.EqualTo("http://127.0.0.1/…"));
            Assert.That(json["createdAt"], Is.Not.Null);
            Assert.That(json["updatedAt"], Is.Not.Null);
            Assert.That(text, Does.Not.Contain("secretToken123"));
        });
        Assert.That(await client.GetStringAsync($"{ChatApi.Route}/{id}"), Does.Not.Contain("secretToken123"));
    }

    [Test]
    public async Task Should_store_the_url_as_ciphertext()
    {
        const string url = "http://127.0.0.1:9/services/T0001/B0002/cipherCheckToken";
        var id = (await _notifications.CreateDestinationAsync("teams", url))["id"]!.GetValue<Guid>();

        var stored = await _notifications.ScalarAsync<byte[]>("SELECT url FROM chat_destinations WHERE id = @id", new { id });
        var display = await _notifications.ScalarAsync<string>("SELECT url_display FROM chat_destinations WHERE id = @id", new { id });

        Assert.Multiple(() =>
        {
            Assert.That(stored, Is.Not.Empty);
            Assert.That(stored, Is.Not.EqualTo(Encoding.UTF8.GetBytes(url)));
            Assert.That(Encoding.Latin1.GetString(stored), Does.Not.Contain("cipherCheckToken"));
            Assert.That(display, Is.EqualTo("http://127.0.0.1/…"));
        });
    }

    [Test]
    public async Task Should_serve_the_org_wide_destination_it_created()
    {
        var created = await _notifications.CreateDestinationAsync("teams", "http://127.0.0.1:9/workflows/abc?sig=xyz", "Whole org", null, "cadence-missed");
        using var client = _notifications.Writer();

        var fetched = JsonNode.Parse(await client.GetStringAsync($"{ChatApi.Route}/{created["id"]}"))!;

        Assert.That(JsonNode.DeepEquals(fetched, created), Is.True, fetched.ToJsonString());
        Assert.That(fetched["managerId"], Is.Null);
    }

    [Test]
    public async Task Should_replace_a_destination_keeping_the_stored_url_when_none_is_given()
    {
        var created = await _notifications.CreateDestinationAsync("slack", "http://127.0.0.1:9/services/keep/me");
        var id = created["id"]!.GetValue<Guid>();
        var cipher = await _notifications.ScalarAsync<byte[]>("SELECT url FROM chat_destinations WHERE id = @id", new { id });
        using var client = _notifications.Writer();

        var response = await client.PutAsJsonAsync($"{ChatApi.Route}/{id}", new { type = "slack", name = "Renamed", managerId = ChatApi.ManagerId, signals = new[] { "pipeline-health" } });

        var json = await JsonBody.ReadAsync(response);
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToJsonString());
            Assert.That(json["name"]!.GetValue<string>(), Is.EqualTo("Renamed"));
            Assert.That(json["managerId"]!.GetValue<string>(), Is.EqualTo(ChatApi.ManagerId));
            Assert.That(json["signals"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "pipeline-health" }));
            Assert.That(json["createdAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(created["createdAt"]!.GetValue<DateTimeOffset>()));
            Assert.That(await _notifications.ScalarAsync<byte[]>("SELECT url FROM chat_destinations WHERE id = @id", new { id }), Is.EqualTo(cipher));
        });
    }

    [Test]
    public async Task Should_replace_the_url_when_one_is_given()
    {
        var id = (await _notifications.CreateDestinationAsync("slack", "http://127.0.0.1:9/services/old"))["id"]!.GetValue<Guid>();
        using var client = _notifications.Writer();

        var response = await client.PutAsJsonAsync($"{ChatApi.Route}/{id}", new { type = "slack", url = "http://localhost:9/services/new", name = "Moved", signals = new[] { "escalation" } });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await JsonBody.ReadAsync(response))["url"]!.GetValue<string>(), Is.EqualTo("http://localhost/…"));
    }

    [Test]
    public async Task Should_delete_a_destination_and_then_not_know_it()
    {
        var id = (await _notifications.CreateDestinationAsync("slack", "http://127.0.0.1:9/services/doomed"))["id"]!.GetValue<Guid>();
        using var client = _notifications.Writer();

        var deleted = await client.DeleteAsync($"{ChatApi.Route}/{id}");
        var again = await client.DeleteAsync($"{ChatApi.Route}/{id}");
        var fetched = await client.GetAsync($"{ChatApi.Route}/{id}");

        Assert.Multiple(() =>
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(fetched.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(fetched.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        });
    }

    [Test]
    public async Task Should_list_every_destination_once_in_id_order_across_pages()
    {
        var created = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await _notifications.CreateDestinationAsync("slack", $"http://127.0.0.1:9/services/page/{i}", $"Page {i}"))["id"]!.GetValue<Guid>());
        }

        using var client = _notifications.Writer();
        var pages = await ApiPages.ReadAllAsync(client, ChatApi.Route, limit: 2);

        var listed = pages.SelectMany(page => page).Select(item => item["id"]!.GetValue<Guid>()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(listed, Is.Unique);
            Assert.That(listed, Is.SupersetOf(created));
            Assert.That(listed.Select(id => id.ToString()), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
            Assert.That(pages, Has.Count.GreaterThanOrEqualTo(3));
        });
    }

    [Test]
    public async Task Should_list_fifty_by_default()
    {
        for (var i = 0; i < 51; i++)
        {
            await _notifications.CreateDestinationAsync("teams", $"http://127.0.0.1:9/workflows/{i}", $"Default page {i}");
        }

        using var client = _notifications.Writer();
        var page = JsonNode.Parse(await client.GetStringAsync(ChatApi.Route))!;

        Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(50));
        Assert.That(page["nextCursor"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public async Task Should_let_readers_read_but_not_write()
    {
        using var reader = _notifications.Reader();
        var before = await _notifications.DestinationsFootprintAsync();

        var listed = await reader.GetAsync(ChatApi.Route);
        var created = await reader.PostAsJsonAsync(ChatApi.Route, new { type = "slack", url = "http://127.0.0.1:9/x", name = "n", signals = new[] { "escalation" } });

        Assert.Multiple(async () =>
        {
            Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await _notifications.DestinationsFootprintAsync(), Is.EqualTo(before));
        });
    }
}
