using System.Net;
using System.Net.Http.Json;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Api;

/// <summary>Every endpoint refuses bad input with a 400 problem naming the field (413 when too large), storing nothing.</summary>
public sealed class When_bad_input_reaches_the_cadence_api
{
    private const string Valid = """{ "kind": "daily-huddle", "target": { "type": "team", "managerId": "005000000000001AAA" } }""";

    private CadenceApiHost _cadence = null!;
    private Guid _recurring;
    private Guid _occurrence;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _cadence = await CadenceApiHost.StartAsync();
        _recurring = (await _cadence.CreateAsync(new { kind = "daily-huddle", target = new { type = "team", managerId = "005000000000001AAA" }, startsOn = "2030-01-01" }))["id"]!.GetValue<Guid>();
        _occurrence = await _cadence.InsertOccurrenceAsync(await _cadence.EventDrivenCadenceAsync(), "due", CadenceApiHost.Now.AddHours(-1));
        using var client = _cadence.Writer();
        await client.PutAsJsonAsync("/api/v1/calendar/holidays", new { holidays = new[] { "2026-12-25" } });
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _cadence.DisposeAsync();

    // Each posted cadence, and the field its error must name.
    [TestCase("""{ "kind": "custom", "name": "x", "schedule": { "cron": "61 9 * * *", "timeZone": "UTC" }, "target": { "type": "user", "userId": "u" } }""", "schedule.cron")]
    [TestCase("""{ "kind": "custom", "name": "x", "schedule": { "cron": "0 9 * * * *", "timeZone": "UTC" }, "target": { "type": "user", "userId": "u" } }""", "schedule.cron")]
    [TestCase("""{ "kind": "custom", "name": "x", "schedule": { "timeZone": "UTC" }, "target": { "type": "user", "userId": "u" } }""", "schedule.cron")]
    [TestCase("""{ "kind": "custom", "name": "x", "schedule": { "cron": "0 9 * * 1", "timeZone": "Mars/Olympus" }, "target": { "type": "user", "userId": "u" } }""", "schedule.timeZone")]
    [TestCase("""{ "kind": "daily-huddle", "target": { "type": "team", "managerId": "m" }, "startsOn": "2027-01-02", "endsOn": "2027-01-01" }""", "endsOn")]
    [TestCase("""{ "kind": "custom", "name": "x" }""", "schedule")]
    [TestCase("""{ "kind": "custom", "name": "x", "schedule": { "cron": "0 9 * * 1" }, "trigger": { "on": "opportunity-created" }, "target": { "type": "team", "managerId": "m" } }""", "schedule")]
    [TestCase("""{ "kind": "daily-huddle" }""", "target")]
    [TestCase("""{ "kind": "custom", "name": "x", "schedule": { "cron": "0 9 * * 1", "timeZone": "UTC" } }""", "target")]
    [TestCase("""{ "kind": "daily-huddle", "target": { "type": "org" } }""", "target.type")]
    [TestCase("""{ "kind": "daily-huddle", "target": { "type": "team" } }""", "target.managerId")]
    [TestCase("""{ "kind": "daily-huddle", "target": { "type": "user", "managerId": "m" } }""", "target.userId")]
    [TestCase("""{ "kind": "negotiation-preparation", "target": { "type": "user", "userId": "u" } }""", "target.type")]
    [TestCase("""{ "kind": "daily-huddle", "target": { "type": "team", "managerId": "m" }, "misfire": { "policy": "catch-up" } }""", "misfire.policy")]
    [TestCase("""{ "kind": "daily-huddle", "target": { "type": "team", "managerId": "m" }, "misfire": { "policy": "skip", "graceMinutes": -1 } }""", "misfire.graceMinutes")]
    [TestCase("""{ "kind": "monthly-offsite", "target": { "type": "team", "managerId": "m" } }""", "kind")]
    [TestCase("""{ "target": { "type": "team", "managerId": "m" } }""", "kind")]
    [TestCase("""{ "kind": "custom", "name": "x", "trigger": { "on": "opportunity-closed" } }""", "trigger.on")]
    [TestCase("""{ "kind": "custom", "name": "x", "trigger": { "on": "stage-entered" } }""", "trigger.stages")]
    [TestCase("""{ "kind": "opportunity-strategy-review", "trigger": { "minAmount": -5 } }""", "trigger.minAmount")]
    [TestCase("""{ "kind": "opportunity-strategy-review", "trigger": { "dueWithinBusinessDays": 0 } }""", "trigger.dueWithinBusinessDays")]
    [TestCase("""{ "kind": "opportunity-strategy-review", "trigger": { "dueWithinBusinessDays": 61 } }""", "trigger.dueWithinBusinessDays")]
    [TestCase("""{ "kind": "daily-huddle", "target": { "type": "team", "managerId": "m" }, "durationMinutes": 0 }""", "durationMinutes")]
    [TestCase("""{ "kind": "daily-huddle", "target": { "type": "team", "managerId": "m" }, "durationMinutes": 1441 }""", "durationMinutes")]
    [TestCase("""{ "kind": "daily-huddle", "target": { "type": "team", "managerId": "m" }, "completionWindowMinutes": 0 }""", "completionWindowMinutes")]
    [TestCase("""{ "kind": "custom", "trigger": { "on": "opportunity-created" } }""", "name")]
    [TestCase("""{ "kind": "custom", "name": " ", "trigger": { "on": "opportunity-created" } }""", "name")]
    [TestCase("""{ "kind": "daily-huddle", "durationMinutes": "long", "target": { "type": "team", "managerId": "m" } }""", "durationMinutes")]
    [TestCase("""{ "kind": "daily-huddle", "startsOn": "2026-02-30", "target": { "type": "team", "managerId": "m" } }""", "startsOn")]
    [TestCase("""{ "kind": "daily-huddle", "target": { "type": "team", "managerId": "m" """, "target")]
    [TestCase("""[1, 2]""", "body")]
    [TestCase("""null""", "body")]
    [TestCase("", "body")]
    public async Task Should_refuse_a_bad_cadence_naming_the_field(string body, string field)
    {
        var before = await _cadence.FootprintAsync();
        using var client = _cadence.Writer();

        var created = await client.PostAsync("/api/v1/cadences", JsonBody.Of(body));
        var replaced = await client.PutAsync($"/api/v1/cadences/{_recurring}", JsonBody.Of(body));

        Assert.That(await ApiProblems.ErrorFieldsAsync(created), Has.Member(field));
        Assert.That(await ApiProblems.ErrorFieldsAsync(replaced), Has.Member(field));
        Assert.That(await _cadence.FootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_refuse_a_name_over_200_characters()
    {
        using var client = _cadence.Writer();
        var response = await client.PostAsJsonAsync("/api/v1/cadences", new { kind = "custom", name = new string('n', 201), trigger = new { on = "opportunity-created" } });
        Assert.That(await ApiProblems.ErrorFieldsAsync(response), Has.Member("name"));
    }

    [Test]
    public async Task Should_accept_the_valid_body_the_refusals_are_compared_with()
    {
        using var client = _cadence.Writer();
        Assert.That((await client.PostAsync("/api/v1/cadences", JsonBody.Of(Valid))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Should_refuse_oversized_bodies_with_413_on_every_write()
    {
        var before = await _cadence.FootprintAsync();
        var padding = new string(' ', 70 * 1024);
        var huge = $$"""{ "kind": "daily-huddle", "target": { "type": "team", "managerId": "m" }, "name": "big"{{padding}} }""";

        foreach (var (method, url) in new[]
        {
            (HttpMethod.Post, "/api/v1/cadences"), (HttpMethod.Put, $"/api/v1/cadences/{_recurring}"), (HttpMethod.Post, $"/api/v1/occurrences/{_occurrence}/complete"),
            (HttpMethod.Post, $"/api/v1/occurrences/{_occurrence}/skip"), (HttpMethod.Put, "/api/v1/calendar/holidays"),
        })
        {
            await ApiProblems.AssertTooLargeAsync(_cadence.Host, method, url, huge, CadenceScopes.Read, CadenceScopes.Write);
        }

        Assert.That(await _cadence.FootprintAsync(), Is.EqualTo(before));
    }

    [TestCase("/api/v1/cadences?limit=0", "limit")]
    [TestCase("/api/v1/cadences?limit=201", "limit")]
    [TestCase("/api/v1/cadences?limit=ten", "limit")]
    [TestCase("/api/v1/cadences?cursor=bogus", "cursor")]
    [TestCase("/api/v1/occurrences?status=cancelled", "status")]
    [TestCase("/api/v1/occurrences?cadenceId=42", "cadenceId")]
    [TestCase("/api/v1/occurrences?from=yesterday", "from")]
    [TestCase("/api/v1/occurrences?to=2026-13-01T00:00:00Z", "to")]
    [TestCase("/api/v1/occurrences?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to")]
    [TestCase("/api/v1/occurrences?cursor=bm9wZQ", "cursor")]
    [TestCase("/api/v1/occurrences?cursor=%%%", "cursor")]
    [TestCase("/api/v1/occurrences?limit=500", "limit")]
    [TestCase("/api/v1/adherence", "managerId")]
    [TestCase("/api/v1/adherence?managerId=m&from=soon", "from")]
    [TestCase("/api/v1/adherence?managerId=m&to=later", "to")]
    [TestCase("/api/v1/adherence?managerId=m&from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to")]
    public async Task Should_refuse_a_bad_query_naming_the_parameter(string url, string field)
    {
        using var client = _cadence.Client(CadenceScopes.Read);
        Assert.That(await ApiProblems.ErrorFieldsAsync(await client.GetAsync(url)), Has.Member(field));
    }

    [TestCase("count=0", "count")]
    [TestCase("count=101", "count")]
    [TestCase("count=many", "count")]
    [TestCase("from=tomorrow", "from")]
    public async Task Should_refuse_a_bad_preview_naming_the_parameter(string query, string field)
    {
        using var client = _cadence.Client(CadenceScopes.Read);
        Assert.That(await ApiProblems.ErrorFieldsAsync(await client.GetAsync($"/api/v1/cadences/{_recurring}/preview?{query}")), Has.Member(field));
    }

    [TestCase("skip", """{ }""", "reason")]
    [TestCase("skip", """{ "reason": "   " }""", "reason")]
    [TestCase("skip", "", "body")]
    [TestCase("skip", """{ "reason": 5 }""", "reason")]
    [TestCase("complete", """{ "notes": ["a"] }""", "notes")]
    [TestCase("complete", """{ "notes": "x" """, "body")]
    public async Task Should_refuse_a_bad_act_naming_the_field(string act, string body, string field)
    {
        var before = await _cadence.FootprintAsync();
        using var client = _cadence.Writer();

        var response = await client.PostAsync($"/api/v1/occurrences/{_occurrence}/{act}", JsonBody.Of(body));

        Assert.That(await ApiProblems.ErrorFieldsAsync(response), Has.Member(field));
        Assert.That(await _cadence.FootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_refuse_a_skip_reason_over_1000_characters()
    {
        using var client = _cadence.Writer();
        var response = await client.PostAsJsonAsync($"/api/v1/occurrences/{_occurrence}/skip", new { reason = new string('r', 1001) });
        Assert.That(await ApiProblems.ErrorFieldsAsync(response), Has.Member("reason"));
        Assert.That(await _cadence.ScalarAsync<string>("SELECT status FROM occurrences WHERE id = @_occurrence", new { _occurrence }), Is.EqualTo("due"));
    }

    [TestCase("""{ "holidays": ["2026-12-32"] }""", "holidays[0]")]
    [TestCase("""{ "holidays": ["25/12/2026"] }""", "holidays[0]")]
    [TestCase("""{ "holidays": null }""", "holidays")]
    [TestCase("""{ }""", "holidays")]
    [TestCase("""{ "holidays": [""", "holidays[0]")]
    public async Task Should_refuse_a_bad_holiday_calendar_naming_the_field(string body, string field)
    {
        var before = await _cadence.FootprintAsync();
        using var client = _cadence.Writer();

        Assert.That(await ApiProblems.ErrorFieldsAsync(await client.PutAsync("/api/v1/calendar/holidays", JsonBody.Of(body))), Has.Member(field));
        Assert.That(await _cadence.FootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_refuse_more_than_1000_holidays()
    {
        var before = await _cadence.FootprintAsync();
        using var client = _cadence.Writer();
        var days = Enumerable.Range(0, 1001).Select(i => new DateOnly(2027, 1, 1).AddDays(i).ToString("yyyy-MM-dd")).ToArray();

        Assert.That(await ApiProblems.ErrorFieldsAsync(await client.PutAsJsonAsync("/api/v1/calendar/holidays", new { holidays = days })), Has.Member("holidays"));
        Assert.That(await _cadence.FootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_refuse_writes_to_a_reader_with_403_and_everything_without_a_token_with_401()
    {
        var before = await _cadence.FootprintAsync();
        using var reader = _cadence.Client(CadenceScopes.Read);
        using var writerOnly = _cadence.Client(CadenceScopes.Write);
        using var anonymous = _cadence.Client();

        Assert.That((await reader.PostAsync("/api/v1/cadences", JsonBody.Of(Valid))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await reader.PutAsync($"/api/v1/cadences/{_recurring}", JsonBody.Of(Valid))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await reader.DeleteAsync($"/api/v1/cadences/{_recurring}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await reader.PostAsJsonAsync($"/api/v1/occurrences/{_occurrence}/complete", new { })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await reader.PostAsJsonAsync($"/api/v1/occurrences/{_occurrence}/skip", new { reason = "x" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await reader.PutAsJsonAsync("/api/v1/calendar/holidays", new { holidays = Array.Empty<string>() })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await writerOnly.GetAsync("/api/v1/cadences")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "writing does not imply reading");
        foreach (var url in new[] { "/api/v1/cadence-templates", "/api/v1/cadences", $"/api/v1/cadences/{_recurring}/preview", "/api/v1/occurrences", "/api/v1/adherence?managerId=m", "/api/v1/calendar/holidays" })
        {
            Assert.That((await anonymous.GetAsync(url)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), url);
        }

        Assert.That(await _cadence.FootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_still_render_swagger_with_every_route()
    {
        using var client = _cadence.Client();
        var response = await client.GetAsync("/swagger/v1/swagger.json");
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(text, Does.Contain("/api/v1/cadences/{id}/preview").And.Contain("/api/v1/occurrences/{id}/skip").And.Contain("/api/v1/calendar/holidays")
            .And.Contain("/api/v1/adherence").And.Contain("/api/v1/cadence-templates"));
    }
}
