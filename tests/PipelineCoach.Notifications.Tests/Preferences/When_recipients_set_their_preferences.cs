using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Notifications.Preferences;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Preferences;

/// <summary><c>GET</c> and <c>PUT /api/v1/recipients/{userId}/preferences</c>, and the store the router reads them from.</summary>
public sealed class When_recipients_set_their_preferences
{
    private const string Full =
        """
        { "channels": { "opportunity-risk": ["email", "slack"], "cadence-due": ["teams"] },
          "quietHours": { "start": "20:00", "end": "07:00" }, "timeZone": "Europe/Berlin",
          "digest": "daily", "digestAt": "07:30", "dailyInterruptionBudget": 10 }
        """;

    private NotificationsHost _notifications = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _notifications = await NotificationsHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _notifications.DisposeAsync();

    [Test]
    public async Task Should_show_the_defaults_to_a_recipient_without_preferences()
    {
        using var client = _notifications.Reader();
        var response = await client.GetAsync($"/api/v1/recipients/{TestIds.New("005")}/preferences");

        var view = await JsonBody.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), view.ToJsonString());
        Assert.That(JsonNode.DeepEquals(view, JsonNode.Parse(
            """
            { "channels": { "opportunity-risk": ["email"], "escalation": ["email"], "pipeline-health": ["email"], "cadence-due": ["email"], "cadence-missed": ["email"] },
              "quietHours": null, "timeZone": null, "digest": "none", "digestAt": null, "dailyInterruptionBudget": 20 }
            """)), view.ToJsonString());
    }

    [Test]
    public async Task Should_store_a_put_and_show_it_on_get_with_unlisted_signals_by_email()
    {
        var userId = TestIds.New("005");
        using var client = _notifications.Writer();

        var put = await client.PutAsync($"/api/v1/recipients/{userId}/preferences", JsonBody.Of(Full));
        var got = await client.GetAsync($"/api/v1/recipients/{userId}/preferences");

        var expected = JsonNode.Parse(
            """
            { "channels": { "opportunity-risk": ["email", "slack"], "escalation": ["email"], "pipeline-health": ["email"], "cadence-due": ["teams"], "cadence-missed": ["email"] },
              "quietHours": { "start": "20:00", "end": "07:00" }, "timeZone": "Europe/Berlin",
              "digest": "daily", "digestAt": "07:30", "dailyInterruptionBudget": 10 }
            """);
        var putView = await JsonBody.ReadAsync(put);
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), putView.ToJsonString());
        Assert.That(JsonNode.DeepEquals(putView, expected), putView.ToJsonString());
        var getView = await JsonBody.ReadAsync(got);
        Assert.That(JsonNode.DeepEquals(getView, expected), getView.ToJsonString());
    }

    [Test]
    public async Task Should_replace_everything_on_put_with_the_defaults_for_what_is_left_out()
    {
        var userId = TestIds.New("005");
        using var client = _notifications.Writer();
        await client.PutAsync($"/api/v1/recipients/{userId}/preferences", JsonBody.Of(Full));

        var response = await client.PutAsync($"/api/v1/recipients/{userId}/preferences", JsonBody.Of("""{ "digest": "daily" }"""));

        var view = await JsonBody.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), view.ToJsonString());
        Assert.That(view["channels"]!.AsObject().Select(c => c.Value!.ToJsonString()), Is.All.EqualTo("""["email"]"""));
        Assert.That(view["quietHours"], Is.Null);
        Assert.That(view["timeZone"], Is.Null);
        Assert.That(view["digestAt"]!.GetValue<string>(), Is.EqualTo("08:00"), "a daily digest without a time comes at 08:00");
        Assert.That(view["dailyInterruptionBudget"]!.GetValue<int>(), Is.EqualTo(20));
    }

    [Test]
    public async Task Should_keep_quiet_hours_that_start_where_they_end_as_given()
    {
        var userId = TestIds.New("005");
        using var client = _notifications.Writer();

        var response = await client.PutAsync($"/api/v1/recipients/{userId}/preferences",
            JsonBody.Of("""{ "quietHours": { "start": "00:00", "end": "00:00" }, "digest": "hourly", "dailyInterruptionBudget": 0 }"""));

        var view = await JsonBody.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), view.ToJsonString());
        Assert.That(view["quietHours"]!.ToJsonString(), Is.EqualTo("""{"start":"00:00","end":"00:00"}"""));
        Assert.That(view["digest"]!.GetValue<string>(), Is.EqualTo("hourly"));
        Assert.That(view["digestAt"], Is.Null);
        Assert.That(view["dailyInterruptionBudget"]!.GetValue<int>(), Is.EqualTo(0));
    }

    [Test]
    public async Task Should_refuse_callers_without_a_token()
    {
        var userId = TestIds.New("005");
        using var client = _notifications.Client();

        var get = await client.GetAsync($"/api/v1/recipients/{userId}/preferences");
        var put = await client.PutAsync($"/api/v1/recipients/{userId}/preferences", JsonBody.Of(Full));

        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await _notifications.ScalarAsync<long>("SELECT count(*) FROM recipient_preferences WHERE user_id = @userId", new { userId }), Is.Zero);
    }

    [Test]
    public async Task Should_refuse_a_put_with_only_the_read_scope()
    {
        var userId = TestIds.New("005");
        using var client = _notifications.Reader();

        var put = await client.PutAsync($"/api/v1/recipients/{userId}/preferences", JsonBody.Of(Full));

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await _notifications.ScalarAsync<long>("SELECT count(*) FROM recipient_preferences WHERE user_id = @userId", new { userId }), Is.Zero);
    }

    [Test]
    public async Task Should_give_the_router_stored_preferences_and_the_defaults_for_everyone_else()
    {
        var stored = TestIds.New("005");
        var unknown = TestIds.New("005");
        using var client = _notifications.Writer();
        await client.PutAsync($"/api/v1/recipients/{stored}/preferences", JsonBody.Of(Full));
        var store = _notifications.Host.Services.GetRequiredService<PreferenceStore>();

        var many = await store.GetManyAsync([stored, unknown], CancellationToken.None);

        Assert.That(many.Keys, Is.EquivalentTo(new[] { stored, unknown }));
        Assert.That(many[unknown], Is.SameAs(RecipientPreferences.Default));
        var preferences = many[stored];
        Assert.That(preferences.ChannelsFor("opportunity-risk"), Is.EqualTo(new[] { "email", "slack" }));
        Assert.That(preferences.ChannelsFor("escalation"), Is.EqualTo(new[] { "email" }));
        Assert.That(preferences.QuietHours, Is.EqualTo(new QuietHours(new TimeOnly(20, 0), new TimeOnly(7, 0))));
        Assert.That(preferences.TimeZone, Is.EqualTo("Europe/Berlin"));
        Assert.That(preferences.Digest, Is.EqualTo(DigestModes.Daily));
        Assert.That(preferences.DigestAt, Is.EqualTo(new TimeOnly(7, 30)));
        Assert.That(preferences.DailyInterruptionBudget, Is.EqualTo(10));
        Assert.That(await store.GetAsync(unknown, CancellationToken.None), Is.Null);
    }
}
