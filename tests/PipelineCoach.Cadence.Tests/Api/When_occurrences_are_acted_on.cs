using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Api;

/// <summary>Occurrences listed, read, completed and skipped; adherence counted; the holiday calendar kept.</summary>
public sealed class When_occurrences_are_acted_on
{
    private CadenceApiHost _cadence = null!;
    private Guid _reviews;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _cadence = await CadenceApiHost.StartAsync();
        _reviews = await _cadence.EventDrivenCadenceAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _cadence.DisposeAsync();

    private static DateTimeOffset Now => CadenceApiHost.Now;

    [Test]
    public async Task Should_show_an_occurrence_with_every_field()
    {
        var assigneeId = TestIds.New("005");
        var opportunityId = TestIds.New("006");
        var id = await _cadence.InsertOccurrenceAsync(_reviews, "due", new DateTimeOffset(2026, 11, 25, 14, 0, 0, TimeSpan.Zero), kind: "negotiation-preparation",
            assigneeId: assigneeId, opportunityId: opportunityId,
            agenda: """[{"code":"negotiation","title":"Negotiation","items":[{"why":"Discount of 25% asked","opportunityId":"006x","amount":120000}]}]""");
        using var client = _cadence.Client(CadenceScopes.Read);

        var response = await client.GetAsync($"/api/v1/occurrences/{id}");

        var occurrence = await JsonBody.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), occurrence.ToJsonString());
        Assert.That(occurrence.AsObject().Select(p => p.Key), Is.EquivalentTo(new[]
        {
            "id", "cadenceId", "kind", "assigneeId", "participantIds", "opportunityId", "scheduledAt", "localStart", "timeZone", "dst", "dueBy",
            "status", "statusReason", "agenda", "notes", "actedBy", "actedAt", "firedAt",
        }));
        Assert.That(occurrence["cadenceId"]!.GetValue<Guid>(), Is.EqualTo(_reviews));
        Assert.That(occurrence["kind"]!.GetValue<string>(), Is.EqualTo("negotiation-preparation"));
        Assert.That(occurrence["opportunityId"]!.GetValue<string>(), Is.EqualTo(opportunityId));
        Assert.That(occurrence["participantIds"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { "005000000000009AAA" }));
        Assert.That(occurrence["scheduledAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(2026, 11, 25, 14, 0, 0, TimeSpan.Zero)));
        Assert.That(occurrence["localStart"]!.GetValue<string>(), Is.EqualTo("2026-11-25T09:00:00"), "wall-clock time, no offset");
        Assert.That(occurrence["status"]!.GetValue<string>(), Is.EqualTo("due"));
        Assert.That(occurrence["agenda"]![0]!["items"]![0]!["why"]!.GetValue<string>(), Is.EqualTo("Discount of 25% asked"));
        Assert.That((await client.GetAsync($"/api/v1/occurrences/{Guid.NewGuid()}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await client.GetAsync("/api/v1/occurrences/nope")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Should_filter_and_page_occurrences_in_scheduled_order()
    {
        var assigneeId = TestIds.New("005");
        var opportunityId = TestIds.New("006");
        var other = await _cadence.EventDrivenCadenceAsync();
        var day = new DateTimeOffset(2026, 11, 20, 14, 0, 0, TimeSpan.Zero);
        var a = await _cadence.InsertOccurrenceAsync(_reviews, "held", day, assigneeId: assigneeId);
        var b = await _cadence.InsertOccurrenceAsync(_reviews, "missed", day.AddDays(1), assigneeId: assigneeId, opportunityId: opportunityId);
        var c = await _cadence.InsertOccurrenceAsync(other, "held", day.AddDays(2), assigneeId: assigneeId);
        var d = await _cadence.InsertOccurrenceAsync(_reviews, "held", day.AddDays(3), assigneeId: assigneeId);
        await _cadence.InsertOccurrenceAsync(_reviews, "held", day, assigneeId: TestIds.New("005"));
        using var client = _cadence.Client(CadenceScopes.Read);

        Assert.That(await IdsAsync(client, $"assigneeId={assigneeId}"), Is.EqualTo(new[] { a, b, c, d }));
        Assert.That(await IdsAsync(client, $"assigneeId={assigneeId}&cadenceId={other}"), Is.EqualTo(new[] { c }));
        Assert.That(await IdsAsync(client, $"assigneeId={assigneeId}&status=held"), Is.EqualTo(new[] { a, c, d }));
        Assert.That(await IdsAsync(client, $"opportunityId={opportunityId}"), Is.EqualTo(new[] { b }));
        Assert.That(await IdsAsync(client, $"assigneeId={assigneeId}&from=2026-11-21T14:00:00Z&to=2026-11-23T14:00:00Z"), Is.EqualTo(new[] { b, c }), "[from, to)");
    }

    [Test]
    public async Task Should_complete_a_due_occurrence_once_recording_who_and_when()
    {
        var id = await _cadence.InsertOccurrenceAsync(_reviews, "due", Now.AddHours(-1));
        using var client = _cadence.Writer();

        var response = await client.PostAsJsonAsync($"/api/v1/occurrences/{id}/complete", new { notes = "Agreed the discount ceiling." });

        var held = await JsonBody.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), held.ToJsonString());
        Assert.That(held["status"]!.GetValue<string>(), Is.EqualTo("held"));
        Assert.That(held["notes"]!.GetValue<string>(), Is.EqualTo("Agreed the discount ceiling."));
        Assert.That(held["actedBy"]!.GetValue<string>(), Is.EqualTo("test-user"));
        Assert.That(held["actedAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(Now));

        var again = await client.PostAsJsonAsync($"/api/v1/occurrences/{id}/complete", new { notes = "Second thoughts." });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await JsonBody.ReadAsync(again))["notes"]!.GetValue<string>(), Is.EqualTo("Agreed the discount ceiling."), "a no-op");
        Assert.That(await _cadence.ScalarAsync<string>("SELECT notes FROM occurrences WHERE id = @id", new { id }), Is.EqualTo("Agreed the discount ceiling."));
    }

    [Test]
    public async Task Should_complete_a_scheduled_occurrence_without_a_body()
    {
        var id = await _cadence.InsertOccurrenceAsync(_reviews, "scheduled", Now.AddDays(2));
        using var client = _cadence.Writer();

        var response = await client.PostAsync($"/api/v1/occurrences/{id}/complete", null);

        var held = await JsonBody.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), held.ToJsonString());
        Assert.That(held["status"]!.GetValue<string>(), Is.EqualTo("held"));
        Assert.That(held["notes"], Is.Null);
    }

    [Test]
    public async Task Should_skip_with_the_reason_and_treat_a_repeat_as_a_no_op()
    {
        var id = await _cadence.InsertOccurrenceAsync(_reviews, "due", Now.AddHours(-1));
        using var client = _cadence.Writer();

        var response = await client.PostAsJsonAsync($"/api/v1/occurrences/{id}/skip", new { reason = "  Team offsite  " });

        var skipped = await JsonBody.ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), skipped.ToJsonString());
        Assert.That(skipped["status"]!.GetValue<string>(), Is.EqualTo("skipped"));
        Assert.That(skipped["statusReason"]!.GetValue<string>(), Is.EqualTo("Team offsite"));
        Assert.That(skipped["actedBy"]!.GetValue<string>(), Is.EqualTo("test-user"));
        var again = await client.PostAsJsonAsync($"/api/v1/occurrences/{id}/skip", new { reason = "Other" });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await JsonBody.ReadAsync(again))["statusReason"]!.GetValue<string>(), Is.EqualTo("Team offsite"));
        Assert.That((await client.PostAsJsonAsync($"/api/v1/occurrences/{id}/complete", new { notes = "late" })).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [TestCase("retired", "complete")]
    [TestCase("missed", "complete")]
    [TestCase("retired", "skip")]
    [TestCase("missed", "skip")]
    [TestCase("held", "skip")]
    public async Task Should_refuse_to_act_on_a_finished_occurrence(string status, string act)
    {
        var id = await _cadence.InsertOccurrenceAsync(_reviews, status, Now.AddDays(-3));
        var before = await _cadence.FootprintAsync();
        using var client = _cadence.Writer();

        var response = await client.PostAsJsonAsync($"/api/v1/occurrences/{id}/{act}", new { notes = "n", reason = "r" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await _cadence.FootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_answer_404_when_acting_on_an_unknown_occurrence()
    {
        using var client = _cadence.Writer();
        foreach (var id in new[] { Guid.NewGuid().ToString(), "nope" })
        {
            Assert.That((await client.PostAsJsonAsync($"/api/v1/occurrences/{id}/complete", new { notes = "x" })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await client.PostAsJsonAsync($"/api/v1/occurrences/{id}/skip", new { reason = "x" })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test]
    public async Task Should_let_exactly_one_of_two_concurrent_acts_win()
    {
        var id = await _cadence.InsertOccurrenceAsync(_reviews, "due", Now.AddHours(-1));
        using var client = _cadence.Writer();

        var responses = await Task.WhenAll(
            client.PostAsJsonAsync($"/api/v1/occurrences/{id}/complete", new { notes = "held it" }),
            client.PostAsJsonAsync($"/api/v1/occurrences/{id}/skip", new { reason = "skipped it" }));

        var status = await _cadence.ScalarAsync<string>("SELECT status FROM occurrences WHERE id = @id", new { id });
        var winner = status == "held" ? 0 : 1;
        Assert.That(status, Is.AnyOf("held", "skipped"));
        Assert.That(responses[winner].StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(responses[1 - winner].StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Should_count_adherence_per_manager_and_kind()
    {
        var managerId = TestIds.New("005");
        var inPeriod = Now.AddDays(-3);
        foreach (var (kind, status, reason, actor) in new (string, string, string?, string?)[]
        {
            ("daily-huddle", "held", null, "u"), ("daily-huddle", "held", null, "u"), ("daily-huddle", "skipped", "Offsite", "u"),
            ("daily-huddle", "missed", null, null), ("daily-huddle", "skipped", "misfire", null), ("daily-huddle", "retired", "cadence-deleted", null),
            ("weekly-pipeline-review", "held", null, "u"), ("weekly-pipeline-review", "due", null, null),
        })
        {
            await _cadence.InsertOccurrenceAsync(_reviews, status, inPeriod, kind: kind, assigneeId: managerId, statusReason: reason, actedBy: actor);
        }

        await _cadence.InsertOccurrenceAsync(_reviews, "held", Now.AddDays(-40), assigneeId: managerId);
        await _cadence.InsertOccurrenceAsync(_reviews, "missed", inPeriod, assigneeId: TestIds.New("005"));
        await _cadence.InsertOccurrenceAsync(_reviews, "scheduled", Now.AddDays(1), assigneeId: managerId);
        using var client = _cadence.Client(CadenceScopes.Read);

        var adherence = await JsonBody.ReadAsync(await client.GetAsync($"/api/v1/adherence?managerId={managerId}"));

        Assert.That(adherence.ToJsonString(), Is.EqualTo(new JsonObject
        {
            ["managerId"] = managerId,
            ["due"] = 6, ["held"] = 3, ["skipped"] = 1, ["missed"] = 1, ["adherence"] = 0.5,
            ["byKind"] = new JsonArray(
                new JsonObject { ["kind"] = "daily-huddle", ["due"] = 4, ["held"] = 2, ["skipped"] = 1, ["missed"] = 1, ["adherence"] = 0.5 },
                new JsonObject { ["kind"] = "weekly-pipeline-review", ["due"] = 2, ["held"] = 1, ["skipped"] = 0, ["missed"] = 0, ["adherence"] = 0.5 }),
        }.ToJsonString()));

        var wider = await JsonBody.ReadAsync(await client.GetAsync($"/api/v1/adherence?managerId={managerId}&from=2026-10-01T00:00:00Z&to=2026-11-25T09:30:00Z"));
        Assert.That(wider["due"]!.GetValue<int>(), Is.EqualTo(7));
        Assert.That(wider["adherence"]!.GetValue<double>(), Is.EqualTo(0.5714), "4 of 7, rounded to 4 places");

        var nobody = await JsonBody.ReadAsync(await client.GetAsync($"/api/v1/adherence?managerId={TestIds.New("005")}"));
        Assert.That(nobody["due"]!.GetValue<int>(), Is.Zero);
        Assert.That(nobody["adherence"], Is.Null);
        Assert.That(nobody["byKind"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Should_replace_and_return_the_holiday_calendar()
    {
        using var client = _cadence.Writer();

        var put = await client.PutAsJsonAsync("/api/v1/calendar/holidays", new { holidays = new[] { "2027-01-01", "2026-12-25", "2027-01-01" } });

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await JsonBody.ReadAsync(put)).ToJsonString(), Is.EqualTo("""{"holidays":["2026-12-25","2027-01-01"]}"""));
        var got = await client.GetAsync("/api/v1/calendar/holidays");
        Assert.That((await JsonBody.ReadAsync(got)).ToJsonString(), Is.EqualTo("""{"holidays":["2026-12-25","2027-01-01"]}"""));

        await client.PutAsJsonAsync("/api/v1/calendar/holidays", new { holidays = new[] { "2027-12-24" } });
        Assert.That(await _cadence.ScalarAsync<string>("SELECT string_agg(day::text, ',') FROM holidays"), Is.EqualTo("2027-12-24"), "the whole calendar replaced");
        Assert.That((await client.PutAsJsonAsync("/api/v1/calendar/holidays", new { holidays = Array.Empty<string>() })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await _cadence.ScalarAsync<long>("SELECT count(*) FROM holidays"), Is.Zero);
    }

    private static async Task<IReadOnlyList<Guid>> IdsAsync(HttpClient client, string query) =>
        [.. (await ApiPages.ReadAllAsync(client, $"/api/v1/occurrences?{query}", limit: 1)).SelectMany(page => page).Select(o => o["id"]!.GetValue<Guid>())];
}
