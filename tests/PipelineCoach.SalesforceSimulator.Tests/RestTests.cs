using System.Text.Json;
using System.Text.RegularExpressions;
using PipelineCoach.SalesforceSimulator.Generation;

namespace PipelineCoach.SalesforceSimulator.Tests;

internal sealed partial class When_calling_the_rest_api : SimulatorFixture
{
    [GeneratedRegex(@"^/services/data/v62\.0/query/01g[A-Za-z0-9]{15}-2000$")]
    private static partial Regex NextRecordsUrl();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$")]
    private static partial Regex RestDateTime();

    private readonly AdjustableTimeProvider clock = new();

    private string OppId(int row) => SalesforceIds.Create("006", row);

    protected override void Configure(SimulatorOptions options) => options.TimeProvider = clock;

    [Test]
    public async Task Should_return_a_query_page_in_the_documented_shape()
    {
        using var response = await Client.GetAsync(Q("SELECT Id, StageName FROM Opportunity WHERE Id IN ('" + OppId(3) + "','" + OppId(1) + "')"));
        var text = await response.Content.ReadAsStringAsync();
        string Record(int row) =>
            $$"""{"attributes":{"type":"Opportunity","url":"/services/data/v62.0/sobjects/Opportunity/{{OppId(row)}}"},"Id":"{{OppId(row)}}","StageName":"{{Host.Org.ReadField("Opportunity", OppId(row), "StageName")}}"}""";

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(text, Is.EqualTo($$"""{"totalSize":2,"done":true,"records":[{{Record(1)}},{{Record(3)}}]}"""));
            Assert.That(response.Header("Sforce-Limit-Info"), Does.Match(@"^api-usage=\d+/115000$"));
        });
    }

    [Test]
    public async Task Should_page_by_2000_rows_with_next_records_url()
    {
        var ids = new HashSet<string>();
        using var first = await Client.GetAsync(Q("SELECT Id FROM Opportunity"));
        var page = await first.JsonAsync();
        var total = page.GetProperty("totalSize").GetInt32();
        var firstCount = page.GetProperty("records").GetArrayLength();
        var next = page.GetProperty("nextRecordsUrl").GetString()!;
        var pages = new List<JsonElement> { page };
        while (pages[^1].GetProperty("done").GetBoolean() is false)
        {
            using var more = await Client.GetAsync(pages[^1].GetProperty("nextRecordsUrl").GetString()!.TrimStart('/'));
            pages.Add(await more.JsonAsync());
        }

        foreach (var p in pages)
        {
            foreach (var r in p.GetProperty("records").EnumerateArray())
            {
                ids.Add(r.GetProperty("Id").GetString()!);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(total, Is.EqualTo(Host.Org.OpportunityCount - Host.Org.FindTable("Opportunity")!.Deleted.Count()));
            Assert.That(firstCount, Is.EqualTo(2000));
            Assert.That(page.GetProperty("done").GetBoolean(), Is.False);
            Assert.That(next, Does.Match(NextRecordsUrl()));
            Assert.That(pages[^1].TryGetProperty("nextRecordsUrl", out _), Is.False);
            Assert.That(ids, Has.Count.EqualTo(total));
        });
    }

    [Test]
    public async Task Should_honour_the_batch_size_query_option()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Q("SELECT Id FROM Account"));
        request.Headers.Add("Sforce-Query-Options", "batchSize=500");
        using var response = await Client.SendAsync(request);
        var page = await response.JsonAsync();

        Assert.That(page.GetProperty("records").GetArrayLength(), Is.EqualTo(500));
    }

    [Test]
    public async Task Should_filter_on_system_modstamp_owner_and_ids_with_order_and_limit()
    {
        var since = DateTimeOffset.UtcNow.AddDays(-20).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        using var byStamp = await Client.GetAsync(Q($"SELECT Id, SystemModstamp FROM Opportunity WHERE SystemModstamp > {since} ORDER BY SystemModstamp LIMIT 300"));
        var stamps = (await byStamp.JsonAsync()).GetProperty("records").EnumerateArray()
            .Select(r => r.GetProperty("SystemModstamp").GetString()!).ToList();
        var owner = Host.Org.ReadField("Opportunity", OppId(10), "OwnerId");
        using var byOwner = await Client.GetAsync(Q($"SELECT Id, OwnerId, Amount, CloseDate FROM Opportunity WHERE OwnerId = '{owner}' AND Amount >= 1000 ORDER BY CloseDate DESC"));
        var owned = (await byOwner.JsonAsync()).GetProperty("records").EnumerateArray().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(stamps, Has.Count.EqualTo(300));
            Assert.That(stamps, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
            Assert.That(stamps, Has.All.Match(RestDateTime()));
            Assert.That(string.CompareOrdinal(stamps[0], since.Replace("Z", ".000+0000", StringComparison.Ordinal)), Is.GreaterThan(0));
            Assert.That(owned.Select(r => r.GetProperty("OwnerId").GetString()), Is.All.EqualTo(owner));
            Assert.That(owned.Select(r => r.GetProperty("CloseDate").GetString()), Is.Ordered.Descending.Using((IComparer<string>)StringComparer.Ordinal));
            Assert.That(owned.Select(r => r.GetProperty("Id").GetString()), Does.Contain(OppId(10)));
            Assert.That(owned[0].GetProperty("Amount").ValueKind, Is.EqualTo(JsonValueKind.Number));
        });
    }

    [Test]
    public async Task Should_order_by_system_modstamp_then_id_as_the_reconciler_asks()
    {
        using var response = await Client.GetAsync(Q("SELECT Id, SystemModstamp FROM OpportunityHistory WHERE SystemModstamp > 2020-01-01T00:00:00.000+0000 ORDER BY SystemModstamp, Id LIMIT 5000"));
        var records = (await response.JsonAsync()).GetProperty("records").EnumerateArray()
            .Select(r => (Stamp: r.GetProperty("SystemModstamp").GetString()!, Id: r.GetProperty("Id").GetString()!)).ToList();
        var ordered = records.OrderBy(r => r.Stamp, StringComparer.Ordinal).ThenBy(r => SalesforceIds.TryParse(r.Id, out _, out var n) ? n : -1).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(records, Has.Count.EqualTo(2000));
            Assert.That(records, Is.EqualTo(ordered.Take(2000)));
        });
    }

    [TestCase("SELECT Id FROM Opportunity WHERE StageName = 'Prospecting' OR StageName = 'Qualification'", "MALFORMED_QUERY")]
    [TestCase("SELECT COUNT() FROM Opportunity", "MALFORMED_QUERY")]
    [TestCase("SELECT StageName FROM Opportunity GROUP BY StageName", "MALFORMED_QUERY")]
    [TestCase("SELECT Account.Name FROM Opportunity", "MALFORMED_QUERY")]
    [TestCase("SELECT Id FROM Opportunity WHERE CloseDate = LAST_N_DAYS:30", "MALFORMED_QUERY")]
    [TestCase("SELECT Id FROM Opportunity LIMIT", "MALFORMED_QUERY")]
    [TestCase("SELECT Bogus__c FROM Opportunity", "INVALID_FIELD")]
    [TestCase("SELECT Id FROM Widget__c", "INVALID_TYPE")]
    public async Task Should_refuse_what_the_subset_does_not_cover(string soql, string errorCode)
    {
        using var response = await Client.GetAsync(Q(soql));
        var body = await response.JsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(400));
            Assert.That(body[0].GetProperty("errorCode").GetString(), Is.EqualTo(errorCode));
            Assert.That(body[0].EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "message", "errorCode" }));
        });
    }

    [Test]
    public async Task Should_get_and_patch_a_record_and_record_the_client_origin()
    {
        var id = OppId(20);
        var afterCommit = Host.Writer.Journal().LastOrDefault()?.CommitNumber ?? 0;
        using var patch = await Client.PatchAsync($"services/data/v62.0/sobjects/Opportunity/{id}", """{"Qualification_Score__c": 72, "StageName": "Negotiation/Review"}""", "client=pipeline-coach");
        var patchBody = await patch.Content.ReadAsStringAsync();
        using var get = await Client.GetAsync($"services/data/v62.0/sobjects/Opportunity/{id}?fields=Id,Qualification_Score__c,StageName,Probability,LastModifiedById");
        var record = await get.JsonAsync();
        var change = Host.Writer.Journal().Single(c => c.CommitNumber > afterCommit);
        using var history = await Client.GetAsync(Q($"SELECT Id, StageName, CreatedDate FROM OpportunityHistory WHERE OpportunityId = '{id}' ORDER BY CreatedDate DESC LIMIT 1"));
        var latest = (await history.JsonAsync()).GetProperty("records")[0];

        Assert.Multiple(() =>
        {
            Assert.That((int)patch.StatusCode, Is.EqualTo(204));
            Assert.That(patchBody, Is.Empty);
            Assert.That(record.GetProperty("attributes").GetProperty("url").GetString(), Is.EqualTo($"/services/data/v62.0/sobjects/Opportunity/{id}"));
            Assert.That(record.GetProperty("Qualification_Score__c").GetDouble(), Is.EqualTo(72));
            Assert.That(record.GetProperty("Probability").GetDouble(), Is.EqualTo(90));
            Assert.That(record.GetProperty("LastModifiedById").GetString(), Is.EqualTo(Host.Org.UserId(0)));
            Assert.That(change.ChangeOrigin, Is.EqualTo("com/salesforce/api/rest/62.0;client=pipeline-coach"));
            Assert.That(change.ChangedFields, Does.Contain("Qualification_Score__c").And.Contain("StageName").And.Contain("LastModifiedDate"));
            Assert.That(latest.GetProperty("StageName").GetString(), Is.EqualTo("Negotiation/Review"));
        });
    }

    [Test]
    public async Task Should_record_a_tracked_date_change_in_opportunity_field_history()
    {
        var id = OppId(21);
        var old = Host.Org.ReadField("Opportunity", id, "Compelling_Event_Date__c");
        using var patch = await Client.PatchAsync($"services/data/v62.0/sobjects/Opportunity/{id}", """{"Compelling_Event_Date__c": "2031-05-20"}""", "client=pipeline-coach");
        using var history = await Client.GetAsync(Q($"SELECT Id, Field, OldValue, NewValue, CreatedDate FROM OpportunityFieldHistory WHERE OpportunityId = '{id}' AND Field IN ('Compelling_Event_Date__c') ORDER BY CreatedDate, Id"));
        var rows = (await history.JsonAsync()).GetProperty("records").EnumerateArray().ToList();

        Assert.Multiple(() =>
        {
            Assert.That((int)patch.StatusCode, Is.EqualTo(204));
            Assert.That(rows, Has.Count.EqualTo(1));
            Assert.That(rows[0].GetProperty("Id").GetString(), Does.StartWith("017"));
            Assert.That(rows[0].GetProperty("Field").GetString(), Is.EqualTo("Compelling_Event_Date__c"));
            Assert.That(rows[0].GetProperty("NewValue").GetString(), Is.EqualTo("2031-05-20"));
            Assert.That(rows[0].GetProperty("OldValue").ValueKind == JsonValueKind.Null ? null : rows[0].GetProperty("OldValue").GetString(), Is.EqualTo(old));
        });
    }

    [TestCase("OpportunityHistory", "008")]
    [TestCase("OpportunityFieldHistory", "017")]
    public async Task Should_refuse_to_change_a_history_row(string type, string prefix)
    {
        var id = SalesforceIds.Create(prefix, 0);
        using var patch = await Client.PatchAsync($"services/data/v62.0/sobjects/{type}/{id}", """{"CreatedDate": "2020-01-01T00:00:00.000+0000"}""", "client=pipeline-coach");
        var body = await patch.JsonAsync();

        Assert.That((int)patch.StatusCode, Is.EqualTo(400));
        Assert.That(body[0].GetProperty("errorCode").GetString(), Is.EqualTo("INVALID_TYPE_FOR_OPERATION"));
    }

    [Test]
    public async Task Should_show_the_planted_slipping_deal_moving_its_event_with_every_push()
    {
        var slipping = Host.Org.GroundTruth.WithProblem("slipping").First().Id;
        using var history = await Client.GetAsync(Q($"SELECT OldValue, NewValue FROM OpportunityFieldHistory WHERE OpportunityId = '{slipping}' ORDER BY CreatedDate, Id"));
        var rows = (await history.JsonAsync()).GetProperty("records").EnumerateArray()
            .Select(r => (Old: r.GetProperty("OldValue").GetString()!, New: r.GetProperty("NewValue").GetString()!)).ToList();

        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows.All(r => string.CompareOrdinal(r.New, r.Old) > 0), Is.True, "each move is later");
        Assert.That(rows[^1].New, Is.EqualTo(Host.Org.ReadField("Opportunity", slipping, "Compelling_Event_Date__c")));
    }

    [Test]
    public async Task Should_create_a_task_and_move_the_opportunity_last_activity_date()
    {
        var what = OppId(25);
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        using var response = await Client.PostAsync("services/data/v62.0/sobjects/Task", Http.Json(
            $$"""{"WhatId":"{{what}}","OwnerId":"{{Host.Org.UserId(3)}}","Subject":"Follow up on the stalled deal","ActivityDate":"{{today}}","Status":"Completed","Description":"Raised by Pipeline Coach"}"""));
        var text = await response.Content.ReadAsStringAsync();
        var id = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
        using var bad = await Client.PostAsync("services/data/v62.0/sobjects/Task", Http.Json("""{"Bogus__c":"x"}"""));

        Assert.Multiple(async () =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(201));
            Assert.That(text, Is.EqualTo($$"""{"id":"{{id}}","errors":[],"success":true}"""));
            Assert.That(id, Does.StartWith("00T"));
            Assert.That(Host.Org.ReadField("Task", id, "Description"), Is.EqualTo("Raised by Pipeline Coach"));
            Assert.That(Host.Org.ReadField("Task", id, "IsClosed"), Is.EqualTo("true"));
            Assert.That(Host.Org.ReadField("Opportunity", what, "LastActivityDate"), Is.EqualTo(today));
            Assert.That((int)bad.StatusCode, Is.EqualTo(400));
            Assert.That((await bad.JsonAsync())[0].GetProperty("errorCode").GetString(), Is.EqualTo("INVALID_FIELD"));
        });
    }

    [Test]
    public async Task Should_accept_replication_paths_with_a_trailing_slash()
    {
        var start = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-10).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        var end = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        using var updated = await Client.GetAsync($"services/data/v62.0/sobjects/Opportunity/updated/?start={start}&end={end}");
        using var deleted = await Client.GetAsync($"services/data/v62.0/sobjects/Opportunity/deleted/?start={start}&end={end}");

        Assert.Multiple(async () =>
        {
            Assert.That((int)updated.StatusCode, Is.EqualTo(200));
            Assert.That((await updated.JsonAsync()).TryGetProperty("ids", out _), Is.True);
            Assert.That((int)deleted.StatusCode, Is.EqualTo(200));
            Assert.That((await deleted.JsonAsync()).TryGetProperty("deletedRecords", out _), Is.True);
        });
    }

    [Test]
    public async Task Should_answer_field_and_id_errors_as_error_arrays()
    {
        using var unknownField = await Client.PatchAsync($"services/data/v62.0/sobjects/Opportunity/{OppId(21)}", """{"Bogus__c": 1}""");
        using var readOnly = await Client.PatchAsync($"services/data/v62.0/sobjects/Opportunity/{OppId(21)}", """{"IsClosed": true}""");
        using var missing = await Client.PatchAsync($"services/data/v62.0/sobjects/Opportunity/{SalesforceIds.Create("006", 9_999_999)}", """{"Name": "x"}""");

        Assert.Multiple(async () =>
        {
            Assert.That((int)unknownField.StatusCode, Is.EqualTo(400));
            Assert.That(await unknownField.Content.ReadAsStringAsync(),
                Is.EqualTo("""[{"message":"No such column 'Bogus__c' on sobject of type Opportunity","errorCode":"INVALID_FIELD","fields":["Bogus__c"]}]"""));
            Assert.That((await readOnly.JsonAsync())[0].GetProperty("errorCode").GetString(), Is.EqualTo("INVALID_FIELD_FOR_INSERT_UPDATE"));
            Assert.That((int)missing.StatusCode, Is.EqualTo(404));
            Assert.That((await missing.JsonAsync())[0].GetProperty("errorCode").GetString(), Is.EqualTo("NOT_FOUND"));
        });
    }

    [Test]
    public async Task Should_list_updated_and_deleted_ids_for_a_window()
    {
        var start = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        var end = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        (await Client.PatchAsync($"services/data/v62.0/sobjects/Opportunity/{OppId(30)}", """{"NextStep": "Call back"}""")).Dispose();
        using var delete = await Client.DeleteAsync($"services/data/v62.0/sobjects/Opportunity/{OppId(31)}");

        // The window only covers whole minutes that have passed: move the org's clock past this minute.
        clock.Offset += TimeSpan.FromMinutes(2);
        using var updatedResponse = await Client.GetAsync($"services/data/v62.0/sobjects/Opportunity/updated?start={start}&end={end}");
        var updated = await updatedResponse.JsonAsync();
        using var deletedResponse = await Client.GetAsync($"services/data/v62.0/sobjects/Opportunity/deleted?start={start}&end={end}");
        var deleted = await deletedResponse.JsonAsync();
        using var tooOld = await Client.GetAsync($"services/data/v62.0/sobjects/Opportunity/updated?start={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-31).ToString("O"))}&end={end}");
        using var query = await Client.GetAsync(Q($"SELECT Id FROM Opportunity WHERE Id = '{OppId(31)}'"));
        using var queryAll = await Client.GetAsync($"services/data/v62.0/queryAll?q={Uri.EscapeDataString($"SELECT Id, IsDeleted FROM Opportunity WHERE Id = '{OppId(31)}'")}");
        var all = await queryAll.JsonAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(updated.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "ids", "latestDateCovered" }));
            Assert.That(updated.GetProperty("ids").EnumerateArray().Select(i => i.GetString()), Does.Contain(OppId(30)).And.No.Contain(OppId(31)));
            Assert.That(updated.GetProperty("latestDateCovered").GetString(), Does.Match(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000\+0000$"));
            Assert.That((int)delete.StatusCode, Is.EqualTo(204));
            Assert.That(deleted.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "deletedRecords", "earliestDateAvailable", "latestDateCovered" }));
            Assert.That(deleted.GetProperty("deletedRecords").EnumerateArray().Select(d => d.GetProperty("id").GetString()), Does.Contain(OppId(31)));
            Assert.That((int)tooOld.StatusCode, Is.EqualTo(400));
            Assert.That((await tooOld.JsonAsync())[0].GetProperty("errorCode").GetString(), Is.EqualTo("INVALID_REPLICATION_DATE"));
            Assert.That((await query.JsonAsync()).GetProperty("totalSize").GetInt32(), Is.Zero);
            Assert.That(all.GetProperty("records")[0].GetProperty("IsDeleted").GetBoolean(), Is.True);
        });
    }

    [Test]
    public async Task Should_save_collections_in_request_order_with_per_record_results()
    {
        var body = $$"""
            {"allOrNone":false,"records":[
             {"attributes":{"type":"Opportunity"},"id":"{{OppId(40)}}","Qualification_Score__c":55},
             {"attributes":{"type":"Opportunity"},"id":"{{SalesforceIds.Create("006", 8_888_888)}}","Qualification_Score__c":56},
             {"attributes":{"type":"Opportunity"},"id":"{{OppId(41)}}","Qualification_Score__c":57}]}
            """;
        using var response = await Client.PatchAsync("services/data/v62.0/composite/sobjects", body);
        var text = await response.Content.ReadAsStringAsync();
        var results = JsonDocument.Parse(text).RootElement;

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(text, Does.StartWith($$"""[{"id":"{{OppId(40)}}","success":true,"errors":[]},"""));
            Assert.That(results.EnumerateArray().Select(r => r.GetProperty("success").GetBoolean()), Is.EqualTo(new[] { true, false, true }));
            Assert.That(results[1].GetProperty("errors")[0].EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "statusCode", "message", "fields" }));
            Assert.That(results[2].GetProperty("id").GetString(), Is.EqualTo(OppId(41)));
            Assert.That(Host.Org.ReadField("Opportunity", OppId(41), "Qualification_Score__c"), Is.EqualTo("57"));
        });
    }

    [Test]
    public async Task Should_roll_back_everything_when_all_or_none_fails()
    {
        var body = $$"""
            {"allOrNone":true,"records":[
             {"attributes":{"type":"Opportunity"},"id":"{{OppId(42)}}","Qualification_Grade__c":"A"},
             {"attributes":{"type":"Opportunity"},"id":"{{OppId(43)}}","Bogus__c":"A"}]}
            """;
        using var response = await Client.PatchAsync("services/data/v62.0/composite/sobjects", body);
        var results = await response.JsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(results.EnumerateArray().Select(r => r.GetProperty("success").GetBoolean()), Is.All.False);
            Assert.That(results[0].GetProperty("errors")[0].GetProperty("statusCode").GetString(), Is.EqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK"));
            Assert.That(results[1].GetProperty("errors")[0].GetProperty("statusCode").GetString(), Is.EqualTo("INVALID_FIELD"));
            Assert.That(Host.Org.ReadField("Opportunity", OppId(42), "Qualification_Grade__c"), Is.Null);
        });
    }

    [Test]
    public async Task Should_fail_a_share_of_collection_records_with_unable_to_lock_row()
    {
        Host.Faults.LockRowShare = 0.5;
        var records = string.Join(",", Enumerable.Range(50, 4).Select(r => $$"""{"attributes":{"type":"Opportunity"},"id":"{{OppId(r)}}","Qualification_Score__c":1}"""));
        using var response = await Client.PatchAsync("services/data/v62.0/composite/sobjects", $$"""{"allOrNone":false,"records":[{{records}}]}""");
        var results = await response.JsonAsync();
        var locked = results.EnumerateArray().Where(r => !r.GetProperty("success").GetBoolean()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(locked, Has.Count.EqualTo(2));
            Assert.That(locked.Select(r => r.GetProperty("errors")[0].GetProperty("statusCode").GetString()), Is.All.EqualTo("UNABLE_TO_LOCK_ROW"));
        });
    }

    [Test]
    public async Task Should_refuse_collections_over_200_records()
    {
        var records = string.Join(",", Enumerable.Range(0, 201).Select(r => $$"""{"attributes":{"type":"Opportunity"},"id":"{{OppId(r)}}"}"""));
        using var response = await Client.PatchAsync("services/data/v62.0/composite/sobjects", $$"""{"records":[{{records}}]}""");

        Assert.Multiple(async () =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(400));
            Assert.That((await response.JsonAsync())[0].GetProperty("errorCode").GetString(), Is.EqualTo("EXCEEDED_ID_LIMIT"));
        });
    }

    [Test]
    public async Task Should_count_calls_in_the_limit_header_and_enforce_the_allowance()
    {
        Host.ApiUsage.Set(100, 102);
        using var first = await Client.GetAsync("services/data/v62.0/limits");
        var limits = await first.JsonAsync();
        using var second = await Client.GetAsync("services/data/v62.0/limits");
        using var refused = await Client.GetAsync("services/data/v62.0/limits");

        Assert.Multiple(async () =>
        {
            Assert.That(first.Header("Sforce-Limit-Info"), Is.EqualTo("api-usage=101/102"));
            Assert.That(limits.GetProperty("DailyApiRequests").GetProperty("Max").GetInt32(), Is.EqualTo(102));
            Assert.That(limits.GetProperty("DailyApiRequests").GetProperty("Remaining").GetInt32(), Is.EqualTo(1));
            Assert.That(second.Header("Sforce-Limit-Info"), Is.EqualTo("api-usage=102/102"));
            Assert.That((int)refused.StatusCode, Is.EqualTo(403));
            Assert.That(await refused.Content.ReadAsStringAsync(), Is.EqualTo("""[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"""));
            Assert.That(refused.Header("Sforce-Limit-Info"), Is.EqualTo("api-usage=102/102"));
        });
    }

    [Test]
    public async Task Should_answer_503_for_an_injected_burst_then_recover()
    {
        Host.Faults.ServiceUnavailableBurst(2);
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await Client.GetAsync("services/data/v62.0/limits");
            statuses.Add((int)response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[] { 503, 503, 200 }));
    }
}
