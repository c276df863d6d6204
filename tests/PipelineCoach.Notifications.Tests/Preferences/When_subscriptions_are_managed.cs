using System.Net;
using System.Net.Http.Json;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Preferences;

/// <summary><c>/api/v1/subscriptions</c>: create, read, list with filters and cursor, delete; one subscription per subscriber, signal and scope.</summary>
public sealed class When_subscriptions_are_managed
{
    private NotificationsHost _notifications = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _notifications = await NotificationsHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _notifications.DisposeAsync();

    [Test]
    public async Task Should_create_read_and_delete_a_team_subscription()
    {
        var subscriberId = TestIds.New("005");
        var managerId = TestIds.New("005");
        using var client = _notifications.Writer();

        var created = await client.PostAsJsonAsync("/api/v1/subscriptions", new { subscriberId, signal = "pipeline-health", scope = new { managerId } });

        var view = await JsonBody.ReadAsync(created);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), view.ToJsonString());
        var id = view["id"]!.GetValue<Guid>();
        Assert.That(created.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/subscriptions/{id}"));
        Assert.That(view["subscriberId"]!.GetValue<string>(), Is.EqualTo(subscriberId));
        Assert.That(view["signal"]!.GetValue<string>(), Is.EqualTo("pipeline-health"));
        Assert.That(view["scope"]!.ToJsonString(), Is.EqualTo($$"""{"managerId":"{{managerId}}"}"""));
        Assert.That(view["createdAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(TestClock.Now));

        var read = await JsonBody.ReadAsync(await client.GetAsync($"/api/v1/subscriptions/{id}"));
        Assert.That(read.ToJsonString(), Is.EqualTo(view.ToJsonString()));

        Assert.That((await client.DeleteAsync($"/api/v1/subscriptions/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await client.GetAsync($"/api/v1/subscriptions/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await client.DeleteAsync($"/api/v1/subscriptions/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Should_replace_a_subscription_keeping_its_id_and_refuse_a_duplicate_or_bad_input()
    {
        var subscriberId = TestIds.New("005");
        var managerId = TestIds.New("005");
        var team = await _notifications.SubscribeAsync(subscriberId, "escalation", managerId);
        var org = await _notifications.SubscribeAsync(subscriberId, "cadence-missed");
        using var client = _notifications.Writer();
        var id = team["id"]!.GetValue<Guid>();

        var replaced = await client.PutAsJsonAsync($"/api/v1/subscriptions/{id}", new { subscriberId, signal = "pipeline-health", scope = new { managerId = (string?)null } });
        var view = await JsonBody.ReadAsync(replaced);
        Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK), view.ToJsonString());
        Assert.That((view["id"]!.GetValue<Guid>(), view["signal"]!.GetValue<string>(), view["scope"]!.ToJsonString()), Is.EqualTo((id, "pipeline-health", """{"managerId":null}""")));

        var duplicate = await client.PutAsJsonAsync($"/api/v1/subscriptions/{id}", new { subscriberId, signal = "cadence-missed" });
        Assert.That(duplicate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var bad = await client.PutAsJsonAsync($"/api/v1/subscriptions/{id}", new { subscriberId, signal = "gossip" });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await client.PutAsJsonAsync($"/api/v1/subscriptions/{Guid.NewGuid()}", new { subscriberId, signal = "escalation" })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var after = await JsonBody.ReadAsync(await client.GetAsync($"/api/v1/subscriptions/{id}"));
        Assert.That(after.ToJsonString(), Is.EqualTo(view.ToJsonString()), "refusals changed nothing");
        Assert.That(org["signal"]!.GetValue<string>(), Is.EqualTo("cadence-missed"));
    }

    [TestCase("""{ "subscriberId": "{0}", "signal": "escalation" }""")]
    [TestCase("""{ "subscriberId": "{0}", "signal": "escalation", "scope": null }""")]
    [TestCase("""{ "subscriberId": "{0}", "signal": "escalation", "scope": { "managerId": null } }""")]
    [TestCase("""{ "subscriberId": "{0}", "signal": "escalation", "scope": { } }""")]
    public async Task Should_take_a_subscription_without_a_manager_as_the_whole_org(string template)
    {
        using var client = _notifications.Writer();
        var response = await client.PostAsync("/api/v1/subscriptions", JsonBody.Of(template.Replace("{0}", TestIds.New("005"), StringComparison.Ordinal)));

        var view = await JsonBody.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), view.ToJsonString());
        Assert.That(view["scope"]!.ToJsonString(), Is.EqualTo("""{"managerId":null}"""));
    }

    [Test]
    public async Task Should_refuse_a_second_subscription_to_the_same_signal_and_scope_with_409()
    {
        var subscriberId = TestIds.New("005");
        var managerId = TestIds.New("005");
        await _notifications.SubscribeAsync(subscriberId, "opportunity-risk");
        await _notifications.SubscribeAsync(subscriberId, "opportunity-risk", managerId);
        var before = await _notifications.PreferencesFootprintAsync();
        using var client = _notifications.Writer();

        var org = await client.PostAsJsonAsync("/api/v1/subscriptions", new { subscriberId, signal = "opportunity-risk" });
        var team = await client.PostAsJsonAsync("/api/v1/subscriptions", new { subscriberId, signal = "opportunity-risk", scope = new { managerId } });

        foreach (var response in new[] { org, team })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), await response.Content.ReadAsStringAsync());
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }

        Assert.That(await _notifications.PreferencesFootprintAsync(), Is.EqualTo(before));
        await _notifications.SubscribeAsync(subscriberId, "escalation", managerId);
    }

    [Test]
    public async Task Should_page_through_a_subscribers_subscriptions_with_the_cursor()
    {
        var subscriberId = TestIds.New("005");
        var ids = new List<string>();
        foreach (var signal in new[] { "opportunity-risk", "escalation", "pipeline-health", "cadence-due", "cadence-missed" })
        {
            ids.Add((await _notifications.SubscribeAsync(subscriberId, signal))["id"]!.GetValue<string>());
        }

        await _notifications.SubscribeAsync(TestIds.New("005"), "escalation");
        using var client = _notifications.Reader();

        var pages = await ApiPages.ReadAllAsync(client, $"/api/v1/subscriptions?subscriberId={subscriberId}", limit: 2);

        Assert.That(pages, Has.Count.EqualTo(3));
        Assert.That(pages.SelectMany(page => page).Select(item => item["id"]!.GetValue<string>()), Is.EquivalentTo(ids));
    }

    [Test]
    public async Task Should_list_only_the_subscriptions_to_the_signal_asked_for()
    {
        var subscriberId = TestIds.New("005");
        var wanted = (await _notifications.SubscribeAsync(subscriberId, "cadence-missed"))["id"]!.GetValue<string>();
        await _notifications.SubscribeAsync(subscriberId, "cadence-due");
        using var client = _notifications.Reader();

        var page = await JsonBody.ReadAsync(await client.GetAsync($"/api/v1/subscriptions?subscriberId={subscriberId}&signal=cadence-missed"));

        Assert.That(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { wanted }));
        Assert.That(page["nextCursor"], Is.Null);
    }

    [Test]
    public async Task Should_refuse_callers_without_a_token_and_writes_with_only_the_read_scope()
    {
        var existing = (await _notifications.SubscribeAsync(TestIds.New("005"), "escalation"))["id"]!.GetValue<string>();
        var before = await _notifications.PreferencesFootprintAsync();
        var body = new { subscriberId = TestIds.New("005"), signal = "escalation" };
        using var anonymous = _notifications.Client();
        using var reader = _notifications.Reader();

        Assert.That((await anonymous.GetAsync("/api/v1/subscriptions")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await anonymous.GetAsync($"/api/v1/subscriptions/{existing}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await anonymous.PostAsJsonAsync("/api/v1/subscriptions", body)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await reader.PostAsJsonAsync("/api/v1/subscriptions", body)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await reader.DeleteAsync($"/api/v1/subscriptions/{existing}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await _notifications.PreferencesFootprintAsync(), Is.EqualTo(before));
    }
}
