using System.Net.Http.Json;
using System.Text.Json;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Sync.Reconciliation;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.Pull;

/// <summary>Initial load and continuous reconciliation against the simulator, with its faults.</summary>
public sealed class When_reconciling_with_salesforce
{
    private SalesforceSyncHost _host = null!;
    private ReconcileResult _initial = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await SalesforceSyncHost.StartAsync();
        _initial = await _host.Reconciler.RunAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [SetUp]
    public Task ResetFaultsAsync() => _host.Control.DeleteAsync("control/faults");

    private string AnyOpenOpportunityId() =>
        _host.Simulator.GroundTruth.Opportunities.First(o => o.Problems.Count == 0).Id;

    [Test]
    public async Task Should_load_every_opportunity_first_with_bulk_api_and_announce_each_once()
    {
        var total = _host.Simulator.Org.OpportunityCount;
        Assert.That(_initial.InitialLoad, Is.True);
        Assert.That(_initial.Records, Is.EqualTo(total));
        Assert.That(await _host.ScalarAsync<long>("SELECT count(*) FROM opportunities"), Is.EqualTo(total));
        Assert.That(await _host.ScalarAsync<long>("SELECT count(*) FROM outbox_entries WHERE body LIKE '%\"source\":\"initial-load\"%'"), Is.EqualTo(total));
        Assert.That(await _host.ScalarAsync<DateTime?>("SELECT watermark FROM sync_watermarks WHERE object_name = 'Opportunity'"), Is.Not.Null);
    }

    [Test]
    public async Task Should_repair_a_change_the_webhooks_missed_and_announce_it_once()
    {
        var id = AnyOpenOpportunityId();
        await _host.EditAsync("Opportunity", id, new { NextStep = "Repaired by reconciliation" });

        var first = await _host.Reconciler.RunAsync(CancellationToken.None);
        var second = await _host.Reconciler.RunAsync(CancellationToken.None);

        Assert.That(first.Changes, Is.GreaterThanOrEqualTo(1));
        Assert.That(second.Changes, Is.Zero, "the overlap re-reads the record but does not republish it");
        Assert.That(await _host.ScalarAsync<string>("SELECT next_step FROM opportunities WHERE id = @id", new { id }), Is.EqualTo("Repaired by reconciliation"));
        Assert.That(await _host.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_entries WHERE body LIKE '%\"source\":\"reconcile\"%' AND body LIKE '%Repaired by reconciliation%'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_find_deletes_with_get_deleted()
    {
        var id = _host.Simulator.GroundTruth.Opportunities.Where(o => o.Problems.Count == 0).Skip(1).First().Id;
        using (var response = await _host.Control.DeleteAsync($"control/records/Opportunity/{id}"))
        {
            response.EnsureSuccessStatusCode();
        }

        // getDeleted reports a delete once the minute it happened in is over, as Salesforce does.
        var deletes = 0;
        await Eventually.TrueAsync(async () => (deletes += (await _host.Reconciler.RunAsync(CancellationToken.None)).Deletes) > 0,
            "getDeleted to report the delete", TimeSpan.FromSeconds(90));

        Assert.That(deletes, Is.EqualTo(1));
        Assert.That(await _host.ScalarAsync<bool>("SELECT is_deleted FROM opportunities WHERE id = @id", new { id }), Is.True);
        Assert.That(await _host.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_entries WHERE message_type LIKE '%OpportunityDeleted,%' AND body LIKE '%' || @id || '%'", new { id }), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_derive_history_for_a_deal_pushed_across_quarters()
    {
        var slipping = _host.Simulator.GroundTruth.WithProblem("slipping").First();
        var summary = JsonSerializer.Deserialize<OpportunityHistorySummary>(
            await _host.ScalarAsync<string>("SELECT history_summary::text FROM opportunities WHERE id = @id", new { id = slipping.Id }));
        Assert.That(summary!.CloseDatePushCount, Is.GreaterThanOrEqualTo(3));
        Assert.That(summary.QuarterBoundariesCrossed, Is.GreaterThanOrEqualTo(3));
        Assert.That(summary.DateFieldPushCounts["Compelling_Event_Date__c"], Is.EqualTo(3), "the planted event moved with every push (OpportunityFieldHistory)");
    }

    [Test]
    public async Task Should_count_a_compelling_event_moved_later_from_field_history_and_announce_it()
    {
        var id = _host.Simulator.GroundTruth.Opportunities.Where(o => o.Problems.Count == 0).Skip(2).First().Id;
        var before = JsonSerializer.Deserialize<OpportunityHistorySummary>(
            await _host.ScalarAsync<string>("SELECT history_summary::text FROM opportunities WHERE id = @id", new { id }))!;
        Assert.That(before.DateFieldPushCounts["Compelling_Event_Date__c"], Is.Zero, "a followed field with no moves reads 0, not absent");

        await _host.EditAsync("Opportunity", id, new { Compelling_Event_Date__c = "2031-01-15" });
        await _host.EditAsync("Opportunity", id, new { Compelling_Event_Date__c = "2031-03-01" });
        await _host.EditAsync("Opportunity", id, new { Compelling_Event_Date__c = "2031-02-01" });   // pulled in: not a move later
        await _host.Reconciler.RunAsync(CancellationToken.None);

        var after = JsonSerializer.Deserialize<OpportunityHistorySummary>(
            await _host.ScalarAsync<string>("SELECT history_summary::text FROM opportunities WHERE id = @id", new { id }))!;
        Assert.That(after.DateFieldPushCounts["Compelling_Event_Date__c"], Is.EqualTo(2));
        Assert.That(await _host.ScalarAsync<long>("SELECT count(*) FROM opportunity_field_history WHERE opportunity_id = @id::bpchar", new { id }), Is.EqualTo(3));
        Assert.That(await _host.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_entries WHERE body LIKE '%' || @id || '%' AND body LIKE '%\"Compelling_Event_Date__c\":2%'", new { id }), Is.GreaterThanOrEqualTo(1),
            "the new summary is announced to Scoring");
    }

    [Test]
    public async Task Should_page_through_the_mirror_with_a_cursor_and_filter_by_owner()
    {
        using var client = _host.Sync.CreateClient().WithScopes(SyncScopes.Read);
        var seen = new List<OpportunitySnapshot>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/opportunities?limit=50{(cursor is null ? "" : $"&cursor={cursor}")}");
            seen.AddRange(page.GetProperty("items").Deserialize<List<OpportunitySnapshot>>(JsonSerializerOptions.Web)!);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        var owner = seen[0].OwnerId!;
        var owned = await client.GetFromJsonAsync<JsonElement>($"/api/v1/opportunities?ownerId={owner}&limit=500");
        Assert.That(seen.Select(o => o.Id), Is.Unique);
        Assert.That(seen, Has.Count.EqualTo(await _host.ScalarAsync<long>("SELECT count(*) FROM opportunities WHERE NOT is_deleted")));
        Assert.That(owned.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("ownerId").GetString()), Is.All.EqualTo(owner));
    }

    [Test]
    public async Task Should_name_each_bad_list_parameter()
    {
        using var client = _host.Sync.CreateClient().WithScopes(SyncScopes.Read);
        using var response = await client.GetAsync("/api/v1/opportunities?limit=0&cursor=nonsense&ownerId=bad");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("Limit").And.Contain("Cursor").And.Contain("OwnerId"));
    }

    [Test]
    public async Task Should_mirror_users_and_contact_roles_and_announce_them()
    {
        Assert.That(await _host.ScalarAsync<long>("SELECT count(*) FROM users"), Is.EqualTo(_host.Simulator.Org.UserRecords.Count));
        Assert.That(await _host.ScalarAsync<long>("SELECT count(*) FROM users WHERE manager_id IS NOT NULL"), Is.GreaterThan(0));
        Assert.That(await _host.ScalarAsync<long>("SELECT count(*) FROM outbox_entries WHERE message_type LIKE '%UserChanged,%'"),
            Is.EqualTo(_host.Simulator.Org.UserRecords.Count));

        var roles = await _host.ScalarAsync<long>("SELECT count(*) FROM opportunity_contact_roles");
        Assert.That(roles, Is.GreaterThan(0));
        var withRoles = await _host.ScalarAsync<string>(
            "SELECT body FROM outbox_entries WHERE body LIKE '%\"changedFields\":[\"ContactRoles\"]%' LIMIT 1");
        Assert.That(withRoles, Does.Contain("\"contactRoles\":[{\"contactId\""));
    }

    [Test]
    public async Task Should_serve_a_mirrored_user_with_manager_and_time_zone()
    {
        var user = _host.Simulator.Org.UserRecords.First(u => u.ManagerIndex >= 0);
        var id = _host.Simulator.Org.UserId(user.Index);
        using var client = _host.Sync.CreateClient().WithScopes(SyncScopes.Read);
        var mirrored = await client.GetFromJsonAsync<JsonElement>($"/api/v1/users/{id}");
        Assert.That(mirrored.GetProperty("managerId").GetString(), Is.EqualTo(_host.Simulator.Org.UserId(user.ManagerIndex)));
        Assert.That(mirrored.GetProperty("timeZone").GetString(), Is.Not.Empty);
        using var missing = await client.GetAsync($"/api/v1/users/{TestIds.New("005")}");
        Assert.That(missing.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Should_reissue_an_expired_token_once_and_ride_out_a_503_burst()
    {
        var id = AnyOpenOpportunityId();
        await _host.EditAsync("Opportunity", id, new { NextStep = "After token expiry" });
        await _host.SetFaultsAsync(new { expireTokens = true, serviceUnavailableBurst = 3 });

        var result = await _host.Reconciler.RunAsync(CancellationToken.None);

        Assert.That(result.Ran, Is.True);
        Assert.That(await _host.ScalarAsync<string>("SELECT next_step FROM opportunities WHERE id = @id", new { id }), Is.EqualTo("After token expiry"));
    }
}

public sealed class When_the_daily_api_allowance_is_spent
{
    private SalesforceSyncHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await SalesforceSyncHost.StartAsync(opportunities: 20, plantProblems: false);

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Should_stop_calling_instead_of_hammering_and_say_so_in_the_status()
    {
        await _host.SetFaultsAsync(new { exhaustApiLimit = true });
        var callsBefore = _host.Simulator.ApiUsage.Used;

        Assert.That(async () => await _host.Reconciler.RunAsync(CancellationToken.None), Throws.Exception);
        Assert.That(async () => await _host.Reconciler.RunAsync(CancellationToken.None), Throws.Exception);

        using var client = _host.Sync.CreateClient().WithScopes(SyncScopes.Read);
        var status = await client.GetFromJsonAsync<JsonElement>("/api/v1/sync/status");
        Assert.That(status.GetProperty("apiUsage").GetProperty("pausedUntil").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(status.GetProperty("recentRuns")[0].GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(status.GetProperty("recentRuns")[0].GetProperty("error").GetString(), Does.Contain("allowance"));
        Assert.That(_host.Simulator.ApiUsage.Used - callsBefore, Is.LessThanOrEqualTo(1), "the second run makes no call at all");
    }
}
