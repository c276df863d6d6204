using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Api;

/// <summary>Templates, cadence definitions and their preview through HTTP, on a standing clock.</summary>
public sealed class When_cadences_are_defined
{
    private CadenceApiHost _cadence = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cadence = await CadenceApiHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _cadence.DisposeAsync();

    [Test]
    public async Task Should_list_the_six_templates_with_their_defaults()
    {
        using var client = _cadence.Client(CadenceScopes.Read);
        var page = await JsonBody.ReadAsync(await client.GetAsync("/api/v1/cadence-templates"));

        var items = page["items"]!.AsArray();
        Assert.That(items.Select(t => t!["kind"]!.GetValue<string>()), Is.EqualTo(new[]
        {
            "daily-huddle", "weekly-pipeline-review", "opportunity-strategy-review", "pre-presentation-review", "negotiation-preparation", "target-account-planning",
        }));
        var huddle = items[0]!;
        Assert.That(huddle["name"]!.GetValue<string>(), Is.EqualTo("Daily huddle"));
        Assert.That(huddle["schedule"]!["cron"]!.GetValue<string>(), Is.EqualTo("0 9 * * 1-5"));
        Assert.That(huddle["durationMinutes"]!.GetValue<int>(), Is.EqualTo(15));
        Assert.That(huddle["misfire"]!["policy"]!.GetValue<string>(), Is.EqualTo("skip"));
        var strategy = items[2]!;
        Assert.That(strategy["schedule"], Is.Null);
        Assert.That(strategy["trigger"]!["minAmount"]!.GetValue<decimal>(), Is.EqualTo(50_000m));
        Assert.That(strategy["trigger"]!["stages"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "Prospecting", "Qualification" }));
        Assert.That(strategy["trigger"]!["dueWithinBusinessDays"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(page["nextCursor"], Is.Null);
    }

    [Test]
    public async Task Should_take_the_templates_defaults_when_only_kind_and_target_are_posted()
    {
        var managerId = TestIds.New("005");
        using var client = _cadence.Writer();

        var response = await client.PostAsJsonAsync("/api/v1/cadences", new { kind = "weekly-pipeline-review", target = new { type = "team", managerId } });

        var created = await JsonBody.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), created.ToJsonString());
        var id = created["id"]!.GetValue<Guid>();
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/cadences/{id}"));
        Assert.That(created["name"]!.GetValue<string>(), Is.EqualTo("Weekly pipeline review"));
        Assert.That(created["schedule"]!["cron"]!.GetValue<string>(), Is.EqualTo("0 9 * * 1"));
        Assert.That(created["schedule"]!["timeZone"]!.GetValue<string>(), Is.EqualTo("assignee"));
        Assert.That(created["durationMinutes"]!.GetValue<int>(), Is.EqualTo(45));
        Assert.That(created["completionWindowMinutes"]!.GetValue<int>(), Is.EqualTo(45 + 1440), "duration plus 24 h");
        Assert.That(created["misfire"]!["policy"]!.GetValue<string>(), Is.EqualTo("fire-once"));
        Assert.That(created["createdAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(CadenceApiHost.Now));

        var stored = await _cadence.ScalarAsync<string>(
            "SELECT concat_ws('|', kind, name, is_recurring, target_type, target_id, created_by, definition->'schedule'->>'cron') FROM cadences WHERE id = @id", new { id });
        Assert.That(stored, Is.EqualTo($"weekly-pipeline-review|Weekly pipeline review|t|team|{managerId}|test-user|0 9 * * 1"));

        var read = await JsonBody.ReadAsync(await client.GetAsync($"/api/v1/cadences/{id}"));
        Assert.That(read.ToJsonString(), Is.EqualTo(created.ToJsonString()));
    }

    [Test]
    public async Task Should_take_the_event_driven_templates_defaults_org_wide()
    {
        var created = await _cadence.CreateAsync(new { kind = "negotiation-preparation" });

        Assert.That(created["schedule"], Is.Null);
        Assert.That(created["target"], Is.Null);
        Assert.That(created["trigger"]!["on"]!.GetValue<string>(), Is.EqualTo("stage-entered"));
        Assert.That(created["trigger"]!["stages"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "Proposal/Price Quote" }));
        Assert.That(created["trigger"]!["minAmount"]!.GetValue<decimal>(), Is.EqualTo(100_000m));
        Assert.That(await _cadence.ScalarAsync<bool>("SELECT is_recurring FROM cadences WHERE id = @id", new { id = created["id"]!.GetValue<Guid>() }), Is.False);
    }

    [Test]
    public async Task Should_store_a_custom_recurring_cadence_as_given()
    {
        var userId = TestIds.New("005");
        var created = await _cadence.CreateAsync(new
        {
            name = "Weekly pipeline review — West",
            kind = "custom",
            schedule = new { cron = "0 9 * * 1", timeZone = "America/New_York" },
            target = new { type = "user", userId },
            durationMinutes = 45,
            completionWindowMinutes = 1440,
            misfire = new { policy = "fire-once", graceMinutes = 30 },
            startsOn = "2026-12-01",
            endsOn = (string?)null,
            exclusions = new[] { "2026-12-28", "2026-12-21", "2026-12-28" },
        });

        Assert.That(created["name"]!.GetValue<string>(), Is.EqualTo("Weekly pipeline review — West"));
        Assert.That(created["kind"]!.GetValue<string>(), Is.EqualTo("custom"));
        Assert.That(created["target"]!["userId"]!.GetValue<string>(), Is.EqualTo(userId));
        Assert.That(created["completionWindowMinutes"]!.GetValue<int>(), Is.EqualTo(1440));
        Assert.That(created["startsOn"]!.GetValue<string>(), Is.EqualTo("2026-12-01"));
        Assert.That(created["exclusions"]!.AsArray().Select(d => d!.GetValue<string>()), Is.EqualTo(new[] { "2026-12-21", "2026-12-28" }), "sorted, distinct");
        Assert.That(await _cadence.ScalarAsync<string>("SELECT target_type || '|' || target_id FROM cadences WHERE id = @id",
            new { id = created["id"]!.GetValue<Guid>() }), Is.EqualTo($"user|{userId}"));
    }

    [Test]
    public async Task Should_store_a_custom_event_driven_cadence_for_a_team()
    {
        var managerId = TestIds.New("005");
        var created = await _cadence.CreateAsync(new
        {
            name = "Big deal desk",
            kind = "custom",
            trigger = new { on = "stage-entered", stages = new[] { "Needs Analysis" }, minAmount = 250_000, dueWithinBusinessDays = 5 },
            target = new { type = "team", managerId },
        });

        Assert.That(created["trigger"]!["dueWithinBusinessDays"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(created["misfire"]!["policy"]!.GetValue<string>(), Is.EqualTo("skip"));
        Assert.That(created["durationMinutes"]!.GetValue<int>(), Is.EqualTo(30));
        Assert.That(await _cadence.ScalarAsync<string>("SELECT is_recurring || '|' || target_id FROM cadences WHERE id = @id",
            new { id = created["id"]!.GetValue<Guid>() }), Is.EqualTo($"false|{managerId}"));
    }

    [Test]
    public async Task Should_page_through_cadences_in_id_order()
    {
        for (var i = 0; i < 3; i++)
        {
            await _cadence.CreateAsync(new { kind = "opportunity-strategy-review", name = $"page-{i}" });
        }

        using var client = _cadence.Client(CadenceScopes.Read);
        var pages = await ApiPages.ReadAllAsync(client, "/api/v1/cadences", limit: 2);

        var seen = pages.SelectMany(page => page).ToList();
        var ids = seen.Select(c => c["id"]!.GetValue<Guid>()).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Has.Count.EqualTo(await _cadence.ScalarAsync<long>("SELECT count(*) FROM cadences WHERE deleted_at IS NULL")));
        Assert.That(pages, Has.Count.EqualTo((ids.Count + 1) / 2));
        Assert.That(seen.Select(c => c["name"]!.GetValue<string>()), Is.SupersetOf(new[] { "page-0", "page-1", "page-2" }));
    }

    [Test]
    public async Task Should_replace_the_definition_and_drop_only_future_unleased_slots()
    {
        var managerId = TestIds.New("005");
        var created = await _cadence.CreateAsync(new { kind = "daily-huddle", target = new { type = "team", managerId }, startsOn = "2030-01-01" });
        var id = created["id"]!.GetValue<Guid>();
        await _cadence.ExecuteAsync("UPDATE cadences SET materialized_until = '2099-01-01Z' WHERE id = @id", new { id });
        var future = CadenceApiHost.Now.AddDays(2);
        var unleased = await _cadence.InsertOccurrenceAsync(id, "scheduled", future, assigneeId: managerId);
        var expiredLease = await _cadence.InsertOccurrenceAsync(id, "scheduled", future.AddHours(1), assigneeId: managerId,
            claimedBy: "gone", leaseUntil: CadenceApiHost.Now.AddMinutes(-1));
        var leased = await _cadence.InsertOccurrenceAsync(id, "scheduled", future.AddHours(2), assigneeId: managerId,
            claimedBy: "instance-b", leaseUntil: CadenceApiHost.Now.AddMinutes(1));
        var due = await _cadence.InsertOccurrenceAsync(id, "due", CadenceApiHost.Now.AddHours(-1), assigneeId: managerId);
        using var client = _cadence.Writer();

        var response = await client.PutAsJsonAsync($"/api/v1/cadences/{id}", new
        {
            kind = "daily-huddle",
            name = "Stand-up",
            schedule = new { cron = "30 8 * * 1-5", timeZone = "Europe/Berlin" },
            target = new { type = "team", managerId },
            startsOn = "2030-01-01",
        });

        var updated = await JsonBody.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), updated.ToJsonString());
        Assert.That(updated["name"]!.GetValue<string>(), Is.EqualTo("Stand-up"));
        Assert.That(updated["schedule"]!["cron"]!.GetValue<string>(), Is.EqualTo("30 8 * * 1-5"));
        Assert.That(updated["durationMinutes"]!.GetValue<int>(), Is.EqualTo(15), "template defaults still apply");
        Assert.That((await JsonBody.ReadAsync(await client.GetAsync($"/api/v1/cadences/{id}")))["schedule"]!["timeZone"]!.GetValue<string>(),
            Is.EqualTo("Europe/Berlin"));
        Assert.That(await _cadence.ScalarAsync<long>("SELECT count(*) FROM occurrences WHERE id = ANY(@ids)", new { ids = new[] { unleased, expiredLease } }), Is.Zero,
            "future unleased slots of the old schedule are gone");
        Assert.That(await _cadence.ScalarAsync<long>("SELECT count(*) FROM occurrences WHERE id = ANY(@ids)", new { ids = new[] { leased, due } }), Is.EqualTo(2),
            "a leased slot and a due occurrence stay");
        Assert.That(await _cadence.ScalarAsync<bool>("SELECT materialized_until IS DISTINCT FROM '2099-01-01Z' FROM cadences WHERE id = @id", new { id }), Is.True,
            "the horizon was cleared");
    }

    [Test]
    public async Task Should_delete_a_cadence_retiring_its_pending_occurrences()
    {
        var cadence = await _cadence.EventDrivenCadenceAsync();
        var scheduled = await _cadence.InsertOccurrenceAsync(cadence, "scheduled", CadenceApiHost.Now.AddDays(1));
        var due = await _cadence.InsertOccurrenceAsync(cadence, "due", CadenceApiHost.Now.AddHours(-2));
        var held = await _cadence.InsertOccurrenceAsync(cadence, "held", CadenceApiHost.Now.AddDays(-2));
        var other = await _cadence.InsertOccurrenceAsync(await _cadence.EventDrivenCadenceAsync(), "due", CadenceApiHost.Now.AddHours(-2));
        using var client = _cadence.Writer();

        var response = await client.DeleteAsync($"/api/v1/cadences/{cadence}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await StatusAsync(scheduled), Is.EqualTo("retired|cadence-deleted"));
        Assert.That(await StatusAsync(due), Is.EqualTo("retired|cadence-deleted"));
        Assert.That(await StatusAsync(held), Is.EqualTo("held|"));
        Assert.That(await StatusAsync(other), Is.EqualTo("due|"));
        Assert.That(await _cadence.ScalarAsync<DateTime?>("SELECT deleted_at FROM cadences WHERE id = @cadence", new { cadence }), Is.EqualTo(CadenceApiHost.Now.UtcDateTime));
        Assert.That((await client.GetAsync($"/api/v1/cadences/{cadence}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await client.DeleteAsync($"/api/v1/cadences/{cadence}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await client.PutAsJsonAsync($"/api/v1/cadences/{cadence}", new { kind = "negotiation-preparation" })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var listed = await JsonBody.ReadAsync(await client.GetAsync("/api/v1/cadences?limit=200"));
        Assert.That(listed["items"]!.AsArray().Select(c => c!["id"]!.GetValue<Guid>()), Does.Not.Contain(cadence));
    }

    [Test]
    public async Task Should_answer_404_for_an_unknown_or_malformed_id()
    {
        using var client = _cadence.Writer();
        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-a-guid" })
        {
            Assert.That((await client.GetAsync($"/api/v1/cadences/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), id);
            Assert.That((await client.GetAsync($"/api/v1/cadences/{id}/preview")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), id);
            Assert.That((await client.DeleteAsync($"/api/v1/cadences/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), id);
            Assert.That((await client.PutAsJsonAsync($"/api/v1/cadences/{id}", new { kind = "negotiation-preparation" })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), id);
        }
    }

    [Test]
    public async Task Should_preview_a_spring_forward_slot_as_shifted()
    {
        var id = await RecurringAsync("0 2 * * *", "America/New_York");
        using var client = _cadence.Client(CadenceScopes.Read);

        var response = await client.GetAsync($"/api/v1/cadences/{id}/preview?count=3&from=2027-03-13T12:00:00Z");

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(text, Does.StartWith(
            """{"occurrences":[{"localStart":"2027-03-14T03:00:00","utcStart":"2027-03-14T07:00:00Z","timeZone":"America/New_York","dst":"shifted"},"""));
        var occurrences = JsonNode.Parse(text)!["occurrences"]!.AsArray();
        Assert.That(occurrences.Select(o => o!["utcStart"]!.GetValue<string>()), Is.EqualTo(new[] { "2027-03-14T07:00:00Z", "2027-03-15T06:00:00Z", "2027-03-16T06:00:00Z" }));
        Assert.That(occurrences.Select(o => o!["dst"]?.GetValue<string>()), Is.EqualTo(new[] { "shifted", null, null }));
    }

    [Test]
    public async Task Should_preview_a_fall_back_slot_once_as_ambiguous()
    {
        var id = await RecurringAsync("30 1 * * *", "America/New_York");
        using var client = _cadence.Client(CadenceScopes.Read);

        var preview = await JsonBody.ReadAsync(await client.GetAsync($"/api/v1/cadences/{id}/preview?count=3&from=2026-10-31T12:00:00Z"));

        var occurrences = preview["occurrences"]!.AsArray();
        Assert.That(occurrences.Select(o => o!["localStart"]!.GetValue<string>()), Is.EqualTo(new[] { "2026-11-01T01:30:00", "2026-11-02T01:30:00", "2026-11-03T01:30:00" }));
        Assert.That(occurrences.Select(o => o!["utcStart"]!.GetValue<string>()), Is.EqualTo(new[] { "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z", "2026-11-03T06:30:00Z" }),
            "the repeated 01:30 fires at its first instant (EDT)");
        Assert.That(occurrences.Select(o => o!["dst"]?.GetValue<string>()), Is.EqualTo(new[] { "ambiguous", null, null }));
    }

    [Test]
    public async Task Should_preview_from_now_by_default_with_ten_occurrences()
    {
        var id = await RecurringAsync("0 9 * * *", "Europe/Berlin");
        using var client = _cadence.Client(CadenceScopes.Read);

        var occurrences = (await JsonBody.ReadAsync(await client.GetAsync($"/api/v1/cadences/{id}/preview")))["occurrences"]!.AsArray();

        Assert.That(occurrences, Has.Count.EqualTo(10));
        Assert.That(occurrences[0]!["utcStart"]!.GetValue<string>(), Is.EqualTo("2026-11-26T08:00:00Z"), "the clock stands at 2026-11-25T09:30Z, after 09:00 CET");
    }

    [Test]
    public async Task Should_preview_in_the_assignees_zone_once_it_is_known()
    {
        var managerId = TestIds.New("005");
        var id = (await _cadence.CreateAsync(new { kind = "daily-huddle", target = new { type = "team", managerId } }))["id"]!.GetValue<Guid>();
        using var client = _cadence.Client(CadenceScopes.Read);

        var unknown = await client.GetAsync($"/api/v1/cadences/{id}/preview?count=1");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(unknown.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await JsonBody.ReadAsync(unknown))["detail"]!.GetValue<string>(), Does.Contain("time zone is not known yet"));

        await _cadence.ExecuteAsync(
            "INSERT INTO users (user_id, name, time_zone, is_active, source_version) VALUES (@managerId, 'Mia Manager', 'Australia/Sydney', true, now())", new { managerId });
        var preview = await JsonBody.ReadAsync(await client.GetAsync($"/api/v1/cadences/{id}/preview?count=2&from=2026-11-25T00:00:00Z"));

        var occurrences = preview["occurrences"]!.AsArray();
        Assert.That(occurrences.Select(o => o!["timeZone"]!.GetValue<string>()), Is.All.EqualTo("Australia/Sydney"));
        Assert.That(occurrences.Select(o => o!["localStart"]!.GetValue<string>()), Is.EqualTo(new[] { "2026-11-26T09:00:00", "2026-11-27T09:00:00" }));
        Assert.That(occurrences[0]!["utcStart"]!.GetValue<string>(), Is.EqualTo("2026-11-25T22:00:00Z"), "AEDT is UTC+11");
    }

    [Test]
    public async Task Should_refuse_to_preview_an_event_driven_cadence()
    {
        var id = await _cadence.EventDrivenCadenceAsync();
        using var client = _cadence.Client(CadenceScopes.Read);

        var response = await client.GetAsync($"/api/v1/cadences/{id}/preview");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await JsonBody.ReadAsync(response))["detail"]!.GetValue<string>(), Does.Contain("no schedule"));
    }

    private async Task<Guid> RecurringAsync(string cron, string timeZone) => (await _cadence.CreateAsync(new
    {
        kind = "custom",
        name = $"{cron} in {timeZone}",
        schedule = new { cron, timeZone },
        target = new { type = "user", userId = TestIds.New("005") },
    }))["id"]!.GetValue<Guid>();

    private Task<string> StatusAsync(Guid id) =>
        _cadence.ScalarAsync<string>("SELECT status || '|' || coalesce(status_reason, '') FROM occurrences WHERE id = @id", new { id });
}
