namespace PipelineCoach.SalesforceSimulator.Tests;

internal sealed class When_running_a_bulk_query_job : SimulatorFixture
{
    protected override int Opportunities => 2_400;

    [Test]
    public async Task Should_walk_the_job_states_and_page_csv_results_with_locators()
    {
        using var created = await Client.PostAsync("services/data/v62.0/jobs/query",
            Http.Json("""{"operation":"query","query":"SELECT Id, Name, Amount, CloseDate, SystemModstamp, NextStep FROM Opportunity"}"""));
        var job = await created.JsonAsync();
        var id = job.GetProperty("id").GetString()!;
        using var poll1 = await Client.GetAsync($"services/data/v62.0/jobs/query/{id}");
        var first = await poll1.JsonAsync();
        using var poll2 = await Client.GetAsync($"services/data/v62.0/jobs/query/{id}");
        var second = await poll2.JsonAsync();

        var lines = new List<string>();
        var locators = new List<string>();
        var counts = new List<string>();
        string? locator = null;
        do
        {
            using var results = await Client.GetAsync($"services/data/v62.0/jobs/query/{id}/results?maxRecords=1000" + (locator is null ? string.Empty : "&locator=" + locator));
            var csv = await results.Content.ReadAsStringAsync();
            var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(rows[0], Is.EqualTo("\"Id\",\"Name\",\"Amount\",\"CloseDate\",\"SystemModstamp\",\"NextStep\""));
            lines.AddRange(rows.Skip(1));
            locator = results.Header("Sforce-Locator");
            locators.Add(locator);
            counts.Add(results.Header("Sforce-NumberOfRecords"));
        }
        while (locator != "null");

        var sample = lines[0].Split("\",\"");

        Assert.Multiple(() =>
        {
            Assert.That((int)created.StatusCode, Is.EqualTo(200));
            Assert.That(id, Does.StartWith("750").And.Length.EqualTo(18));
            Assert.That(job.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
            {
                "id", "operation", "object", "createdById", "createdDate", "systemModstamp", "state", "concurrencyMode",
                "contentType", "apiVersion", "lineEnding", "columnDelimiter",
            }));
            Assert.That(job.GetProperty("state").GetString(), Is.EqualTo("UploadComplete"));
            Assert.That(first.GetProperty("state").GetString(), Is.EqualTo("InProgress"));
            Assert.That(second.GetProperty("state").GetString(), Is.EqualTo("JobComplete"));
            Assert.That(second.GetProperty("numberRecordsProcessed").GetInt32(), Is.EqualTo(Host.Org.OpportunityCount));
            Assert.That(lines, Has.Count.EqualTo(Host.Org.OpportunityCount));
            Assert.That(lines.Select(l => l[1..19]), Is.Unique);
            Assert.That(counts, Is.EqualTo(new[] { "1000", "1000", (Host.Org.OpportunityCount - 2000).ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            Assert.That(locators[^1], Is.EqualTo("null"));
            Assert.That(locators[0], Is.Not.EqualTo("null"));
            Assert.That(sample[0], Does.StartWith("\"006"));
            Assert.That(sample[3], Does.Match(@"^\d{4}-\d{2}-\d{2}$"));
            Assert.That(sample[4], Does.Match(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"));
        });
    }

    [Test]
    public async Task Should_refuse_results_before_the_job_completes_and_bad_queries()
    {
        using var created = await Client.PostAsync("services/data/v62.0/jobs/query", Http.Json("""{"operation":"query","query":"SELECT Id FROM Account"}"""));
        var id = (await created.JsonAsync()).GetProperty("id").GetString();
        using var early = await Client.GetAsync($"services/data/v62.0/jobs/query/{id}/results");
        using var malformed = await Client.PostAsync("services/data/v62.0/jobs/query", Http.Json("""{"operation":"query","query":"SELECT Id FROM Account WHERE Name = 'a' OR Name = 'b'"}"""));

        Assert.Multiple(async () =>
        {
            Assert.That((int)early.StatusCode, Is.EqualTo(400));
            Assert.That((int)malformed.StatusCode, Is.EqualTo(400));
            Assert.That((await malformed.JsonAsync())[0].GetProperty("errorCode").GetString(), Is.EqualTo("MALFORMED_QUERY"));
        });
    }
}
