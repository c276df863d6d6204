using System.Net;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.Pull;

/// <summary>CDC gap events: the change itself was not delivered, so Sync re-reads it from Salesforce.</summary>
public sealed class When_salesforce_sends_gap_events
{
    private static readonly DateTimeOffset Commit = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);
    private SalesforceSyncHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await SalesforceSyncHost.StartAsync(opportunities: 30, plantProblems: false);
        await _host.Reconciler.RunAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    private async Task PostAsync(string changeType, string[] recordIds)
    {
        var payload = ChangeEvents.Opportunity(changeType, recordIds, Commit, []);
        using var response = await _host.Sync.CreateClient().SendAsync(_host.Signer.Request("/webhooks/salesforce/change-events", ChangeEvents.Json(payload)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Should_re_read_the_named_records_on_the_next_run()
    {
        var id = await _host.ScalarAsync<string>("SELECT id FROM opportunities ORDER BY id LIMIT 1");
        await _host.EditAsync("Opportunity", id, new { NextStep = "Changed behind a gap" });

        await PostAsync("GAP_UPDATE", [id]);
        Assert.That(await _host.ScalarAsync<long>("SELECT count(*) FROM refetch_requests WHERE record_id = @id", new { id }), Is.EqualTo(1));

        await _host.Reconciler.RunAsync(CancellationToken.None);

        Assert.That(await _host.ScalarAsync<long>("SELECT count(*) FROM refetch_requests"), Is.Zero);
        Assert.That(await _host.ScalarAsync<string>("SELECT next_step FROM opportunities WHERE id = @id", new { id }), Is.EqualTo("Changed behind a gap"));
    }

    [Test]
    public async Task Should_reload_the_whole_object_after_gap_overflow()
    {
        await PostAsync("GAP_OVERFLOW", []);
        Assert.That(await _host.ScalarAsync<long>("SELECT count(*) FROM refetch_requests WHERE record_id = '*'"), Is.EqualTo(1));

        var result = await _host.Reconciler.RunAsync(CancellationToken.None);

        Assert.That(result.InitialLoad, Is.True, "overflow drops the watermark, so the object is read again in full");
        Assert.That(result.Records, Is.EqualTo(_host.Simulator.Org.OpportunityCount));
    }
}
