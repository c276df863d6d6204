using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>Pure: one occurrence's agenda sections from the batch's data and what Scoring said. No I/O, no clock.</summary>
internal static class AgendaComposer
{
    public static IReadOnlyList<AgendaSection> Compose(AgendaScope scope) => scope.Occurrence.Kind switch
    {
        CadenceKinds.WeeklyPipelineReview => WeeklyReviewAgenda.Compose(scope),
        CadenceKinds.OpportunityStrategyReview or CadenceKinds.PrePresentationReview => DealReviewAgenda.Compose(scope),
        CadenceKinds.NegotiationPreparation => NegotiationAgenda.Compose(scope),
        CadenceKinds.TargetAccountPlanning => TargetAccountAgenda.Compose(scope),
        _ => HuddleAgenda.Compose(scope), // daily huddle and custom cadences
    };

    /// <summary>Daily huddles, custom cadences and any kind without its own agenda get the huddle's.</summary>
    public static bool IsHuddle(string kind) => kind is not (CadenceKinds.WeeklyPipelineReview or CadenceKinds.OpportunityStrategyReview
        or CadenceKinds.PrePresentationReview or CadenceKinds.NegotiationPreparation or CadenceKinds.TargetAccountPlanning);

    /// <summary>What an occurrence of <paramref name="kind"/> needs from Scoring.</summary>
    public static ScoringNeed NeedOf(string kind) => kind switch
    {
        CadenceKinds.WeeklyPipelineReview or CadenceKinds.TargetAccountPlanning => ScoringNeed.Health,
        CadenceKinds.OpportunityStrategyReview or CadenceKinds.PrePresentationReview => ScoringNeed.Scores,
        _ => ScoringNeed.None,
    };
}
