using MassTransit;
using Microsoft.Extensions.Options;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Scoring.Scores;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.ServiceDefaults.Messaging;

namespace PipelineCoach.Scoring.Opportunities;

/// <summary>
/// Keeps Scoring's read model of opportunities and scores every applied change with the active scorecards. Consumes
/// in batches (one transaction, a handful of set-based statements per batch) to keep up with a busy org. Idempotent
/// (inbox on MessageId) and version-checked: a duplicate does nothing, an older snapshot never replaces a newer one
/// and so never regresses a score.
/// </summary>
internal sealed partial class OpportunityChangedConsumer(
    ILogger<OpportunityChangedConsumer> logger,
    UnitOfWorkFactory unitOfWork,
    OpportunityScorer scorer,
    IOptions<ScoringOptions> options) : IConsumer<Batch<OpportunityChanged>>
{
    public async Task Consume(ConsumeContext<Batch<OpportunityChanged>> context)
    {
        var cancellationToken = context.CancellationToken;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var fresh = await work.TryMarkConsumedManyAsync(nameof(OpportunityChangedConsumer),
            context.Message.Select(m => m.MessageId!.Value).Distinct().ToArray(), cancellationToken);
        var messages = context.Message.Where(m => fresh.Remove(m.MessageId!.Value)).Select(m => (Id: m.MessageId!.Value, m.Message)).ToList();
        if (messages.Count == 0)
        {
            return;
        }

        // One row per opportunity per statement: the batch's survivor under the version rule (in delivery order, so a
        // tie goes to the later message) competes with the stored version; the rest of the batch is superseded
        // already. Sorted, so concurrent batches lock rows in the same order.
        var newest = messages.GroupBy(m => m.Message.OpportunityId)
            .Select(g => SourceVersionRule.Survivor(g, m => m.Message.SourceVersion))
            .OrderBy(m => m.Message.OpportunityId, StringComparer.Ordinal)
            .ToList();
        var applied = await OpportunityReadModel.UpsertChangedAsync(work, newest.Select(m => m.Message).ToList(), cancellationToken);
        var newestIds = newest.Select(m => m.Id).ToHashSet();
        await OpportunityReadModel.RecordChangesAsync(work,
            messages.Select(m => (m.Id, m.Message.OpportunityId, "changed", m.Message.SourceVersion,
                newestIds.Contains(m.Id) && applied.Contains(m.Message.OpportunityId))).ToList(), cancellationToken);

        var writeBack = options.Value.WriteBackFields;
        var toScore = newest.Select(m => m.Message)
            .Where(m => applied.Contains(m.OpportunityId) && !IsOwnEcho(m, writeBack))
            .ToList();
        var changed = await scorer.ScoreAndStoreAsync(work, toScore, cancellationToken);
        await work.CommitAsync(cancellationToken);

        LogBatch(logger, context.Message.Length, toScore.Count, changed, clock.ElapsedMilliseconds);
    }

    [LoggerMessage(LogLevel.Debug, "OpportunityChanged batch of {Count}: {Scored} scored, {Changed} changed, {Milliseconds} ms")]
    private static partial void LogBatch(ILogger logger, int count, int scored, int changed, long milliseconds);

    /// <summary>Our own write-back echoed by Salesforce: only the fields we write (and audit fields) changed.</summary>
    internal static bool IsOwnEcho(OpportunityChanged message, IList<string> writeBackFields) =>
        message.IsOwnWrite
        && message.ChangedFields.Count > 0
        && message.ChangedFields.All(field => ScoringOptions.AuditFields.Contains(field)
            || writeBackFields.Contains(field, StringComparer.OrdinalIgnoreCase));
}
