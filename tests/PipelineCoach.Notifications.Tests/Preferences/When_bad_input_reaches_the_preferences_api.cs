using System.Net;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Preferences;

/// <summary>The preferences and subscriptions endpoints refuse bad input with a 400 problem naming the field (413 when too large), storing nothing.</summary>
public sealed class When_bad_input_reaches_the_preferences_api
{
    private const string Stored = """{ "channels": { "opportunity-risk": ["slack"] }, "digest": "hourly", "dailyInterruptionBudget": 5 }""";

    private NotificationsHost _notifications = null!;
    private readonly string _userId = TestIds.New("005");
    private string _subscription = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _notifications = await NotificationsHost.StartAsync();
        using var client = _notifications.Writer();
        Assert.That((await client.PutAsync(Preferences(_userId), JsonBody.Of(Stored))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        _subscription = (await _notifications.SubscribeAsync(TestIds.New("005"), "escalation"))["id"]!.GetValue<string>();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _notifications.DisposeAsync();

    // Each put, and the field its error must name.
    [TestCase("""{ "timeZone": "Mars/Olympus" }""", "timeZone")]
    [TestCase("""{ "timeZone": "W. Europe Standard Time" }""", "timeZone")]
    [TestCase("""{ "timeZone": "" }""", "timeZone")]
    [TestCase("""{ "quietHours": { "start": "24:00", "end": "07:00" } }""", "quietHours.start")]
    [TestCase("""{ "quietHours": { "start": "7:00", "end": "08:00" } }""", "quietHours.start")]
    [TestCase("""{ "quietHours": { "start": "20:00:00", "end": "07:00" } }""", "quietHours.start")]
    [TestCase("""{ "quietHours": { "end": "07:00" } }""", "quietHours.start")]
    [TestCase("""{ "quietHours": { "start": "20:00", "end": "07:60" } }""", "quietHours.end")]
    [TestCase("""{ "quietHours": { "start": "20:00" } }""", "quietHours.end")]
    [TestCase("""{ "quietHours": { "start": 2000, "end": "07:00" } }""", "quietHours.start")]
    [TestCase("""{ "digest": "daily", "digestAt": "8am" }""", "digestAt")]
    [TestCase("""{ "digest": "daily", "digestAt": "08:00 " }""", "digestAt")]
    [TestCase("""{ "digest": "weekly" }""", "digest")]
    [TestCase("""{ "digest": "Daily" }""", "digest")]
    [TestCase("""{ "channels": { "opportunity-risk": ["pigeon"] } }""", "channels.opportunity-risk[0]")]
    [TestCase("""{ "channels": { "opportunity-risk": ["email", "webhook"] } }""", "channels.opportunity-risk[1]")]
    [TestCase("""{ "channels": { "opportunity-risk": ["email", null] } }""", "channels.opportunity-risk[1]")]
    [TestCase("""{ "channels": { "opportunity-risk": ["slack", "email", "slack"] } }""", "channels.opportunity-risk[2]")]
    [TestCase("""{ "channels": { "opportunity-risk": [] } }""", "channels.opportunity-risk")]
    [TestCase("""{ "channels": { "opportunity-risk": null } }""", "channels.opportunity-risk")]
    [TestCase("""{ "channels": { "unknown-signal": ["email"] } }""", "channels.unknown-signal")]
    [TestCase("""{ "channels": { "digest": ["email"] } }""", "channels.digest")]
    [TestCase("""{ "channels": { "opportunity-risk": "email" } }""", "channels.opportunity-risk")]
    [TestCase("""{ "channels": ["email"] }""", "channels")]
    [TestCase("""{ "dailyInterruptionBudget": -1 }""", "dailyInterruptionBudget")]
    [TestCase("""{ "dailyInterruptionBudget": 1001 }""", "dailyInterruptionBudget")]
    [TestCase("""{ "dailyInterruptionBudget": "ten" }""", "dailyInterruptionBudget")]
    [TestCase("""{ "dailyInterruptionBudget": 2.5 }""", "dailyInterruptionBudget")]
    [TestCase("""{ "quietHours": { "start": "20:00" """, "quietHours")]
    [TestCase("""[1, 2]""", "body")]
    [TestCase("""null""", "body")]
    [TestCase("", "body")]
    public async Task Should_refuse_bad_preferences_naming_the_field(string body, string field)
    {
        var before = await _notifications.PreferencesFootprintAsync();
        using var client = _notifications.Writer();

        var existing = await client.PutAsync(Preferences(_userId), JsonBody.Of(body));
        var fresh = await client.PutAsync(Preferences(TestIds.New("005")), JsonBody.Of(body));

        Assert.That(await ApiProblems.ErrorFieldsAsync(existing), Has.Member(field));
        Assert.That(await ApiProblems.ErrorFieldsAsync(fresh), Has.Member(field));
        Assert.That(await _notifications.PreferencesFootprintAsync(), Is.EqualTo(before));
    }

    [TestCase("005000000000001")]
    [TestCase("005000000000001AAAA")]
    [TestCase("005000000000001AA-")]
    [TestCase("005000000000001AA%20")]
    public async Task Should_refuse_a_user_id_that_is_not_an_18_character_salesforce_id(string userId)
    {
        var before = await _notifications.PreferencesFootprintAsync();
        using var client = _notifications.Writer();

        var got = await client.GetAsync(Preferences(userId));
        var put = await client.PutAsync(Preferences(userId), JsonBody.Of(Stored));

        Assert.That(await ApiProblems.ErrorFieldsAsync(got), Is.EqualTo(new[] { "userId" }));
        Assert.That(await ApiProblems.ErrorFieldsAsync(put), Is.EqualTo(new[] { "userId" }));
        Assert.That(await _notifications.PreferencesFootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_accept_the_valid_bodies_the_refusals_are_compared_with()
    {
        using var client = _notifications.Writer();
        var put = await client.PutAsync(Preferences(TestIds.New("005")), JsonBody.Of(Stored));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.PostAsync("/api/v1/subscriptions", JsonBody.Of(Subscription()))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    // Each posted subscription, and the field its error must name.
    [TestCase("""{ "signal": "escalation" }""", "subscriberId")]
    [TestCase("""{ "subscriberId": "005000000000001", "signal": "escalation" }""", "subscriberId")]
    [TestCase("""{ "subscriberId": 5, "signal": "escalation" }""", "subscriberId")]
    [TestCase("""{ "subscriberId": "005000000000001AAA" }""", "signal")]
    [TestCase("""{ "subscriberId": "005000000000001AAA", "signal": "deal-won" }""", "signal")]
    [TestCase("""{ "subscriberId": "005000000000001AAA", "signal": "digest" }""", "signal")]
    [TestCase("""{ "subscriberId": "005000000000001AAA", "signal": "escalation", "scope": { "managerId": "boss" } }""", "scope.managerId")]
    [TestCase("""{ "subscriberId": "005000000000001AAA", "signal": "escalation", "scope": "team" }""", "scope")]
    [TestCase("""{ "subscriberId": "005000000000001AAA", "signal": """, "signal")]
    [TestCase("""[]""", "body")]
    [TestCase("", "body")]
    public async Task Should_refuse_a_bad_subscription_naming_the_field(string body, string field)
    {
        var before = await _notifications.PreferencesFootprintAsync();
        using var client = _notifications.Writer();

        var response = await client.PostAsync("/api/v1/subscriptions", JsonBody.Of(body));

        Assert.That(await ApiProblems.ErrorFieldsAsync(response), Has.Member(field));
        Assert.That(await _notifications.PreferencesFootprintAsync(), Is.EqualTo(before));
    }

    [TestCase("?subscriberId=005000000000001", "subscriberId")]
    [TestCase("?signal=deal-won", "signal")]
    [TestCase("?cursor=not-a-cursor", "cursor")]
    [TestCase("?limit=0", "limit")]
    [TestCase("?limit=201", "limit")]
    [TestCase("?limit=ten", "limit")]
    [TestCase("?limit=-1", "limit")]
    public async Task Should_refuse_a_bad_subscription_filter_naming_it(string query, string field)
    {
        using var client = _notifications.Reader();
        var response = await client.GetAsync($"/api/v1/subscriptions{query}");
        Assert.That(await ApiProblems.ErrorFieldsAsync(response), Is.EqualTo(new[] { field }));
    }

    [TestCase("not-a-guid")]
    [TestCase("00000000-0000-0000-0000-000000000000")]
    public async Task Should_answer_404_for_a_subscription_id_that_names_none(string id)
    {
        var before = await _notifications.PreferencesFootprintAsync();
        using var client = _notifications.Writer();

        Assert.That((await client.GetAsync($"/api/v1/subscriptions/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await client.DeleteAsync($"/api/v1/subscriptions/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await _notifications.PreferencesFootprintAsync(), Is.EqualTo(before));
        Assert.That((await client.GetAsync($"/api/v1/subscriptions/{_subscription}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Should_refuse_oversized_bodies_with_413_on_every_write()
    {
        var before = await _notifications.PreferencesFootprintAsync();
        var padding = new string(' ', 70 * 1024);

        foreach (var (method, url, body) in new[]
        {
            (HttpMethod.Put, Preferences(_userId), $$"""{ "digest": "daily"{{padding}} }"""),
            (HttpMethod.Post, "/api/v1/subscriptions", Subscription(padding)),
        })
        {
            await ApiProblems.AssertTooLargeAsync(_notifications.Host, method, url, body, NotificationsScopes.Read, NotificationsScopes.Write);
        }

        Assert.That(await _notifications.PreferencesFootprintAsync(), Is.EqualTo(before));
    }

    private static string Preferences(string userId) => $"/api/v1/recipients/{userId}/preferences";

    private static string Subscription(string padding = "") =>
        $$"""{ "subscriberId": "{{TestIds.New("005")}}", "signal": "pipeline-health"{{padding}} }""";
}
