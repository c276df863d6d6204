using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PipelineCoach.Contracts.Cadence;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Ledger;

/// <summary>End to end through the API: a cadence defined, its slots firing, held, skipped and missed, and adherence from them.</summary>
public sealed class When_a_manager_keeps_the_rhythm
{
    private const string Manager = "005000000000H01AAA";

    [Test]
    public async Task Should_count_held_skipped_and_missed_occurrences_into_adherence()
    {
        var clock = TestClock.Start(); // Wednesday 2026-11-25 09:30Z
        await using var missedProbe = await QueueProbe<CadenceOccurrenceMissed>.StartAsync();
        await using var cadence = await LedgerHost.StartAsync(clock);
        using var api = cadence.Host.CreateClient().WithScopes(CadenceScopes.Read, CadenceScopes.Write);

        using var created = await api.PostAsJsonAsync("/api/v1/cadences", new
        {
            kind = "daily-huddle",
            schedule = new { cron = "0 14 * * *", timeZone = "UTC" },
            target = new { type = "team", managerId = Manager },
            completionWindowMinutes = 120,
        });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var cadenceId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        // The horizon first (the materializer reads the clock: moving it before would start the horizon after 14:00).
        await Eventually.ValueAsync(
            async () => (await api.GetFromJsonAsync<JsonObject>($"/api/v1/occurrences?cadenceId={cadenceId}&status=scheduled"))!["items"]!.AsArray(),
            items => items.Count == 7, "the 7-day horizon");

        var held = await FireAsync(cadence, api, cadenceId, clock, new DateTimeOffset(2026, 11, 25, 14, 0, 1, TimeSpan.Zero));
        using (var complete = await api.PostAsJsonAsync($"/api/v1/occurrences/{held}/complete", new { notes = "Walked the three slipping deals." }))
        {
            Assert.That(complete.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var skipped = await FireAsync(cadence, api, cadenceId, clock, new DateTimeOffset(2026, 11, 26, 14, 0, 1, TimeSpan.Zero));
        using (var skip = await api.PostAsJsonAsync($"/api/v1/occurrences/{skipped}/skip", new { reason = "Thanksgiving" }))
        {
            Assert.That(skip.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var missed = await FireAsync(cadence, api, cadenceId, clock, new DateTimeOffset(2026, 11, 27, 14, 0, 1, TimeSpan.Zero));
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 16, 0, 1, TimeSpan.Zero));
        await missedProbe.WaitForAsync(m => m.OccurrenceId == missed, "the third huddle to be missed");
        using (var late = await api.PostAsJsonAsync($"/api/v1/occurrences/{missed}/complete", new { notes = "too late" }))
        {
            Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a missed occurrence cannot be completed");
        }

        var adherence = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/adherence?managerId={Manager}&from=2026-11-20T00:00:00Z&to=2026-11-28T00:00:00Z"))!;
        Assert.That(adherence["due"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(adherence["held"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(adherence["skipped"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(adherence["missed"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(adherence["adherence"]!.GetValue<double>(), Is.EqualTo(0.3333).Within(0.0001));
        var byKind = adherence["byKind"]!.AsArray().Single()!;
        Assert.That(byKind["kind"]!.GetValue<string>(), Is.EqualTo("daily-huddle"));
        Assert.That(byKind["due"]!.GetValue<int>(), Is.EqualTo(3));
    }

    /// <summary>Moves the clock to a slot and returns the id of the occurrence once it is due.</summary>
    private static async Task<string> FireAsync(LedgerHost cadence, HttpClient api, string cadenceId, Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, DateTimeOffset at)
    {
        clock.SetUtcNow(at);
        var page = await Eventually.ValueAsync(
            async () => (await api.GetFromJsonAsync<JsonObject>($"/api/v1/occurrences?cadenceId={cadenceId}&status=due"))!["items"]!.AsArray(),
            items => items.Count == 1, $"the {at:MM-dd} huddle to be due");
        return page[0]!["id"]!.GetValue<string>();
    }
}
