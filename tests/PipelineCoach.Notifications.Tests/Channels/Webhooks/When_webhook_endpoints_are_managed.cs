using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PipelineCoach.Notifications.Routing;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

/// <summary>The webhook-endpoints API over HTTP: the secret is shown once and stored encrypted; CRUD, paging, rotation, enable and disable.</summary>
public sealed class When_webhook_endpoints_are_managed
{
    private NotificationsHost _notifications = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _notifications = await NotificationsHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _notifications.DisposeAsync();

    [Test]
    public async Task Should_show_the_secret_once_at_creation()
    {
        using var client = _notifications.Writer();

        var response = await client.PostAsJsonAsync("/api/v1/webhook-endpoints",
            new { url = "https://hooks.example.com/pipeline", signals = new[] { Signals.OpportunityRisk, Signals.CadenceDue }, description = "CRM bridge" });
        var created = await JsonBody.ReadAsync(response);
        var id = created["id"]!.GetValue<Guid>();
        var fetched = await _notifications.GetEndpointAsync(id);
        var listed = await JsonBody.ReadAsync(await client.GetAsync("/api/v1/webhook-endpoints?limit=200"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), created.ToJsonString());
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/webhook-endpoints/{id}"));
            Assert.That(created["secret"]!.GetValue<string>(), Does.StartWith("whsec_"));
            Assert.That(created["url"]!.GetValue<string>(), Is.EqualTo("https://hooks.example.com/pipeline"));
            Assert.That(created["signals"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { Signals.OpportunityRisk, Signals.CadenceDue }));
            Assert.That(created["description"]!.GetValue<string>(), Is.EqualTo("CRM bridge"));
            Assert.That(created["enabled"]!.GetValue<bool>(), Is.True);
            Assert.That(created["disabledReason"], Is.Null);
            Assert.That(created["failingSince"], Is.Null);
            Assert.That(created["createdAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(_notifications.Clock.GetUtcNow()));
            Assert.That(Names(fetched), Is.EquivalentTo(new[] { "id", "url", "signals", "description", "enabled", "disabledReason", "failingSince", "createdAt", "updatedAt" }));
            Assert.That(Names(created), Is.EqualTo(Names(fetched).Append("secret")), "the view's fields in order, then the secret");
            Assert.That(listed.ToJsonString(), Does.Contain(id.ToString()).And.Not.Contain("secret").And.Not.Contain("whsec_"));
        });
    }

    [Test]
    public async Task Should_store_the_secret_encrypted()
    {
        var created = await _notifications.CreateEndpointAsync("https://hooks.example.com/encrypted");
        var id = created["id"]!.GetValue<Guid>();
        var secret = created["secret"]!.GetValue<string>();
        var key = secret["whsec_".Length..];

        var stored = await _notifications.ScalarAsync<byte[]>("SELECT secret FROM webhook_endpoints WHERE id = @id", new { id });
        var row = await _notifications.ScalarAsync<string>("SELECT w::text FROM webhook_endpoints w WHERE id = @id", new { id });
        var storedText = Encoding.Latin1.GetString(stored);

        Assert.Multiple(() =>
        {
            Assert.That(stored, Is.Not.Empty);
            Assert.That(storedText, Does.Not.Contain(secret).And.Not.Contain(key));
            Assert.That(row, Does.Not.Contain(secret).And.Not.Contain(key).And.Not.Contain(Convert.ToHexString(Encoding.UTF8.GetBytes(key)).ToLowerInvariant()));
        });
    }

    [Test]
    public async Task Should_page_through_endpoints_in_creation_order()
    {
        List<Guid> created = [];
        for (var i = 0; i < 3; i++)
        {
            // Version 7 ids order by their millisecond; within one (a standing clock) they are random.
            _notifications.Clock.Advance(TimeSpan.FromMilliseconds(1));
            created.Add((await _notifications.CreateEndpointAsync($"https://hooks.example.com/page/{i}"))["id"]!.GetValue<Guid>());
        }

        using var client = _notifications.Writer();
        var pages = await ApiPages.ReadAllAsync(client, WebhookApi.Route, limit: 2);

        var seen = pages.SelectMany(page => page).Select(item => item["id"]!.GetValue<Guid>()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.Unique);
            Assert.That(seen.Where(created.Contains), Is.EqualTo(created));
            Assert.That(pages, Has.Count.GreaterThanOrEqualTo(2));
        });
    }

    [Test]
    public async Task Should_replace_url_signals_and_description()
    {
        var created = await _notifications.CreateEndpointAsync("https://hooks.example.com/before");
        var id = created["id"]!.GetValue<Guid>();
        _notifications.Clock.Advance(TimeSpan.FromMinutes(3));
        using var client = _notifications.Writer();

        var response = await client.PutAsJsonAsync($"/api/v1/webhook-endpoints/{id}",
            new { url = "https://hooks.example.com/after", signals = new[] { Signals.Escalation }, description = (string?)null });
        var replaced = await JsonBody.ReadAsync(response);
        var fetched = await _notifications.GetEndpointAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), replaced.ToJsonString());
            Assert.That(fetched.ToJsonString(), Is.EqualTo(replaced.ToJsonString()));
            Assert.That(fetched["url"]!.GetValue<string>(), Is.EqualTo("https://hooks.example.com/after"));
            Assert.That(fetched["signals"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { Signals.Escalation }));
            Assert.That(fetched["description"], Is.Null);
            Assert.That(fetched["createdAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(created["createdAt"]!.GetValue<DateTimeOffset>()));
            Assert.That(fetched["updatedAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(_notifications.Clock.GetUtcNow()));
            Assert.That(fetched["secret"], Is.Null);
        });
    }

    [Test]
    public async Task Should_delete_an_endpoint()
    {
        var id = (await _notifications.CreateEndpointAsync("https://hooks.example.com/deleted"))["id"]!.GetValue<Guid>();
        using var client = _notifications.Writer();

        var deleted = await client.DeleteAsync($"/api/v1/webhook-endpoints/{id}");
        var fetched = await client.GetAsync($"/api/v1/webhook-endpoints/{id}");
        var again = await client.DeleteAsync($"/api/v1/webhook-endpoints/{id}");

        Assert.Multiple(() =>
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(fetched.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Should_disable_and_enable_through_the_api()
    {
        var id = (await _notifications.CreateEndpointAsync("https://hooks.example.com/toggled"))["id"]!.GetValue<Guid>();

        var disabled = await _notifications.ActOnEndpointAsync(id, "disable");
        var whileDisabled = await _notifications.GetEndpointAsync(id);
        var enabled = await _notifications.ActOnEndpointAsync(id, "enable");

        Assert.Multiple(() =>
        {
            Assert.That(disabled["enabled"]!.GetValue<bool>(), Is.False);
            Assert.That(disabled["disabledReason"]!.GetValue<string>(), Is.EqualTo("disabled through the API"));
            Assert.That(whileDisabled.ToJsonString(), Is.EqualTo(disabled.ToJsonString()));
            Assert.That(enabled["enabled"]!.GetValue<bool>(), Is.True);
            Assert.That(enabled["disabledReason"], Is.Null);
        });
    }

    [Test]
    public async Task Should_rotate_to_a_new_secret_shown_once()
    {
        var created = await _notifications.CreateEndpointAsync("https://hooks.example.com/rotated");
        var id = created["id"]!.GetValue<Guid>();

        var rotated = await _notifications.ActOnEndpointAsync(id, "rotate-secret");
        var fetched = await _notifications.GetEndpointAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(Names(rotated), Is.EquivalentTo(new[] { "secret", "previousSecretExpiresAt" }));
            Assert.That(rotated["secret"]!.GetValue<string>(), Does.StartWith("whsec_").And.Not.EqualTo(created["secret"]!.GetValue<string>()));
            Assert.That(rotated["previousSecretExpiresAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(_notifications.Clock.GetUtcNow().AddHours(24)));
            Assert.That(fetched.ToJsonString(), Does.Not.Contain("whsec_"));
        });
    }

    [Test]
    public async Task Should_need_the_read_scope_to_read_and_the_write_scope_to_write()
    {
        var id = (await _notifications.CreateEndpointAsync("https://hooks.example.com/scoped"))["id"]!.GetValue<Guid>();
        using var anonymous = _notifications.Client();
        using var reader = _notifications.Client(NotificationsScopes.Read);
        using var writer = _notifications.Client(NotificationsScopes.Write);
        var before = await _notifications.EndpointsFootprintAsync();

        Assert.Multiple(async () =>
        {
            Assert.That((await anonymous.GetAsync("/api/v1/webhook-endpoints")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await writer.GetAsync($"/api/v1/webhook-endpoints/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await reader.GetAsync($"/api/v1/webhook-endpoints/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await reader.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = "https://hooks.example.com/x", signals = new[] { Signals.Escalation } })).StatusCode,
                Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await reader.PostAsync($"/api/v1/webhook-endpoints/{id}/rotate-secret", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await reader.PostAsync($"/api/v1/webhook-endpoints/{id}/disable", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await reader.DeleteAsync($"/api/v1/webhook-endpoints/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await _notifications.EndpointsFootprintAsync(), Is.EqualTo(before));
        });
    }

    private static IEnumerable<string> Names(JsonNode node) => node.AsObject().Select(p => p.Key);
}
