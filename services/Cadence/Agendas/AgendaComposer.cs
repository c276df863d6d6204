using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>Pure: one occurrence's agenda sections from the batch's data and what Scoring said. No I/O, no clock.</summary>
internal static class AgendaComposer
{
    /// <summary>
    /// Most items a section lists; the rest are summed up in one closing line. A meeting cannot walk through a thousand
    /// flags (a first huddle after the initial load sees every flag as new), and a message that size helps nobody.
    /// Sections are ordered most important first (by amount), so what is cut is the tail.
    /// </summary>
    public const int MaxItemsPerSection = 25;

    public static IReadOnlyList<AgendaSection> Compose(AgendaScope scope) => [.. ComposeAll(scope).Select(Capped)];

    /// <summary>The section with at most <see cref="MaxItemsPerSection"/> items, plus a line saying how many more there are.</summary>
    public static AgendaSection Capped(AgendaSection section) => section.Items.Count <= MaxItemsPerSection
        ? section
        : section with
        {
            Items =
            [
                .. section.Items.Take(MaxItemsPerSection),
                new AgendaItem
                {
                    Code = "more",
                    Why = $"…and {section.Items.Count - MaxItemsPerSection} more, not listed here: the ones above matter most.",
                },
            ],
        };

    private static IReadOnlyList<AgendaSection> ComposeAll(AgendaScope scope) => scope.Occurrence.Kind switch
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
