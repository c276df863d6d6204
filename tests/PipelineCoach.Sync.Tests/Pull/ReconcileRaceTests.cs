using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Npgsql;
using PipelineCoach.Sync.Tests.OutboundMessages;

namespace PipelineCoach.Sync.Tests.Pull;

/// <summary>Reconcile, change events and outbound messages write the same records at once, in one lock order.</summary>
public sealed class When_reconcile_runs_while_webhooks_write_the_same_records
{
    private const int Records = 300;

    [Test]
    public async Task Should_let_every_run_and_delivery_succeed_and_leave_the_newest_version_of_each_record()
    {
        // A long overlap makes every reconcile run re-read (and lock) every record while the webhooks write them.
        await using var host = await SalesforceSyncHost.StartAsync(opportunities: Records, plantProblems: false,
            settings: new Dictionary<string, string?> { ["Sync:Reconcile:Overlap"] = "3650.00:00:00" });
        await host.Reconciler.RunAsync(CancellationToken.None);
        var ids = Enumerable.Range(0, Records)
            .Select(i => host.Simulator.Org.ReadField("Opportunity", PipelineCoach.SalesforceSimulator.Generation.SalesforceIds.Create("006", i), "Id")!)
            .ToArray();
        var newestInSalesforce = await host.ScalarAsync<DateTime>("SELECT max(source_version) FROM opportunities");
        var after = new DateTimeOffset(DateTime.SpecifyKind(newestInSalesforce, DateTimeKind.Utc)).AddMinutes(1);

        // Each record gets 2–6 later versions, the odd ones as change events and the even ones as outbound messages,
        // sent shuffled, ten records to a delivery, by four senders at once.
        var random = new Random(20261125);
        var changes = ids.SelectMany(id => Enumerable.Range(1, random.Next(2, 7)).Select(k => (Id: id, K: k))).OrderBy(_ => random.Next()).ToList();
        var expected = changes.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => $"Stage {g.Max(c => c.K)}");
        var deliveries = new List<HttpRequestMessage>();
        foreach (var chunk in changes.Where(c => c.K % 2 == 1).Chunk(10))
        {
            var events = chunk.Select(c => ChangeEvents.Opportunity("UPDATE", [c.Id], after.AddMilliseconds(c.K), new() { ["StageName"] = $"Stage {c.K}" })).ToArray();
            deliveries.Add(host.Signer.Request("/webhooks/salesforce/change-events", ChangeEvents.Json(events)));
        }

        foreach (var chunk in changes.Where(c => c.K % 2 == 0).Chunk(10))
        {
            var message = Envelopes.Message(chunk.Select(c => Envelopes.Opportunity(c.Id, after.AddMilliseconds(c.K), $"Stage {c.K}")), host.Simulator.Org.OrganizationId);
            deliveries.Add(new HttpRequestMessage(HttpMethod.Post, "/webhooks/salesforce/outbound-messages")
            {
                Content = new StringContent(message, Encoding.UTF8, MediaTypeHeaderValue.Parse("text/xml; charset=utf-8")),
            });
        }

        var pending = new Queue<HttpRequestMessage>(deliveries.OrderBy(_ => random.Next()));
        var failures = new List<string>();
        var webhooksDone = false;
        async Task SendAsync()
        {
            using var client = host.Sync.CreateClient();
            while (true)
            {
                HttpRequestMessage? request;
                lock (pending)
                {
                    if (!pending.TryDequeue(out request))
                    {
                        return;
                    }
                }

                using var response = await client.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    var failure = $"{request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    lock (failures)
                    {
                        failures.Add(failure);
                    }
                }
            }
        }

        async Task<int> ReconcileAsync()
        {
            var runs = 0;
            do
            {
                await host.Reconciler.RunAsync(CancellationToken.None);
                runs++;
            }
            while (!Volatile.Read(ref webhooksDone) || runs < 2);

            return runs;
        }

        var reconciling = ReconcileAsync();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SendAsync()));
        Volatile.Write(ref webhooksDone, true);
        var runs = await reconciling;

        await using var connection = new NpgsqlConnection(host.Sync.DatabaseConnectionString);
        var statuses = (await connection.QueryAsync<(string Status, string? Error)>("SELECT status, error FROM sync_runs WHERE kind = 'reconcile' ORDER BY id")).ToList();
        var stages = (await connection.QueryAsync<(string Id, string Stage)>("SELECT id, stage_name FROM opportunities WHERE id = ANY(@ids::bpchar[])", new { ids }))
            .ToDictionary(r => r.Id, r => r.Stage);
        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Empty, "every delivery was acknowledged");
            Assert.That(statuses.Count, Is.EqualTo(runs + 1));
            Assert.That(statuses.Where(s => s.Status != "succeeded"), Is.Empty, "every reconcile run succeeded");
            Assert.That(stages, Is.EquivalentTo(expected), "each record holds its newest version");
        });
    }
}
