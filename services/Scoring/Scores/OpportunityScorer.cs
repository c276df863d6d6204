using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Scoring.Scores;

/// <summary>Scores opportunity snapshots with every active scorecard and stores the outcome (with history and outbox on change).</summary>
internal sealed class OpportunityScorer(ScorecardCatalog catalog, TimeProvider timeProvider)
{
    /// <summary>Today as the engine sees it. Scores are as-of days, so a deal can age into a flag without any change.</summary>
    public DateOnly Today() => DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);

    /// <summary>Returns how many scores changed (and were published).</summary>
    public async Task<int> ScoreAndStoreAsync(UnitOfWork work, IReadOnlyList<OpportunityChanged> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return 0;
        }

        var active = await catalog.ActiveAsync(work.Connection, work.Transaction, cancellationToken);
        if (active.Count == 0)
        {
            return 0;
        }

        var previous = await ScoreStore.LoadAsync(work.Connection, work.Transaction, messages.Select(m => m.OpportunityId).ToList(), cancellationToken);
        var asOf = Today();
        var outcomes = new List<ScoreOutcome>(messages.Count * active.Count);
        foreach (var scorecard in active)
        {
            var facts = scorecard.CreateFacts();
            var result = scorecard.CreateResult();
            foreach (var message in messages)
            {
                facts.Load(message);
                scorecard.Score(facts, asOf, result);
                previous.TryGetValue((message.OpportunityId, scorecard.Id), out var before);
                var previousScorecard = before is null ? null
                    : before.ScorecardVersion == scorecard.Version ? scorecard
                    : await catalog.GetAsync(before.ScorecardId, before.ScorecardVersion, cancellationToken);
                outcomes.Add(ScoreEvaluation.Outcome(result, before, previousScorecard, Cause(message)));
            }
        }

        return await ScoreStore.WriteAsync(work, outcomes, timeProvider.GetUtcNow(), cancellationToken);
    }

    /// <summary>The score's cause from how CRM sync learned of the change: bulk sources keep their name, the rest are live changes.</summary>
    public static string Cause(OpportunityChanged message) => message.Source switch
    {
        ScoreCause.InitialLoad => ScoreCause.InitialLoad,
        ScoreCause.Reconcile => ScoreCause.Reconcile,
        _ => ScoreCause.Change,
    };
}
