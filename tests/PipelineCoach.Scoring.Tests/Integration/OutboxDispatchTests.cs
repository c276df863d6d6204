using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>
/// The outbox dispatcher resumes each round after the last row it sent while a backlog drains; a row that commits
/// late with a lower id (its transaction started first) must still be published, not stepped over.
/// </summary>
public sealed class When_an_outbox_row_commits_after_later_rows_were_dispatched
{
    private ScoringHost _scoring = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _scoring = await ScoringHost.StartAsync(new Dictionary<string, string?>
    {
        // Small batches, so the later rows fill whole batches and the dispatcher moves its cursor past the early row.
        ["Messaging:Outbox:BatchSize"] = "2",
        ["Messaging:Outbox:Dispatchers"] = "1",
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await _scoring.DisposeAsync();

    private static OpportunityScored Scored(string opportunityId) => new()
    {
        OpportunityId = opportunityId,
        SourceVersion = DateTimeOffset.UtcNow,
        OccurredAt = DateTimeOffset.UtcNow,
        ScorecardId = "proactive-qualification",
        ScorecardVersion = 1,
        Score = 50,
        Grade = "C",
        Flags = [],
        PreviousFlags = [],
        Changes = ["test"],
    };

    [Test]
    public async Task The_late_row_is_published_too()
    {
        var units = _scoring.Host.Services.GetRequiredService<UnitOfWorkFactory>();
        var late = TestIds.New("006");
        var lateMessageId = Guid.NewGuid();

        // The early transaction takes its id first and commits last.
        await using var early = await units.BeginAsync(CancellationToken.None);
        await early.PublishAsync(Scored(late), CancellationToken.None, lateMessageId);

        var later = Enumerable.Range(0, 7).Select(_ => TestIds.New("006")).ToList();
        foreach (var id in later)
        {
            await using var work = await units.BeginAsync(CancellationToken.None);
            await work.PublishAsync(Scored(id), CancellationToken.None);
            await work.CommitAsync(CancellationToken.None);
        }

        await Eventually.TrueAsync(async () => (await _scoring.QueryAsync<long>(
                "SELECT count(*) FROM outbox_messages WHERE dispatched_at IS NOT NULL AND body::jsonb->>'opportunityId' = ANY(@later)",
                new { later = later.ToArray() })).Single() == later.Count,
            "the later rows to be dispatched");

        await early.CommitAsync(CancellationToken.None);

        await Eventually.TrueAsync(async () => (await _scoring.QueryAsync<long>(
                "SELECT count(*) FROM outbox_messages WHERE dispatched_at IS NOT NULL AND message_id = @lateMessageId",
                new { lateMessageId })).Single() == 1,
            "the row committed late to be dispatched");
        var ids = await _scoring.QueryAsync<long>(
            "SELECT id FROM outbox_messages WHERE message_id = @lateMessageId OR body::jsonb->>'opportunityId' = ANY(@later) ORDER BY message_id = @lateMessageId DESC, id",
            new { lateMessageId, later = later.ToArray() });
        Assert.That(ids[0], Is.LessThan(ids.Skip(1).Min()), "the late row has the lowest id, so the cursor had moved past it");
    }
}
