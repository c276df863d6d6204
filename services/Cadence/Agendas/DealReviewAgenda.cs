using PipelineCoach.Cadence.Agendas.Scoring;
using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>
/// Opportunity strategy review and pre-presentation review: the deal, its missing qualification criteria (from
/// Scoring) and its open risk flags (from Scoring, else the last ones received).
/// </summary>
internal static class DealReviewAgenda
{
    public static IReadOnlyList<AgendaSection> Compose(AgendaScope scope)
    {
        if (DealOf(scope) is not { } deal)
        {
            return [DealUnknown(scope)];
        }

        var sections = new List<AgendaSection> { DealSection(scope, deal) };
        if (scope.Scoring.Answered)
        {
            var scores = scope.Scoring.Scores?.Scores ?? [];
            sections.Add(new AgendaSection
            {
                Code = AgendaSections.MissingCriteria,
                Title = "Qualification still missing",
                Items = scores.Count == 0
                    ? [scope.Item(deal, "not-scored", "Not scored yet, so which qualification criteria are missing is not known: go through them with the rep.")]
                    : [.. MissingCriteria(scores, deal).Select(c => scope.Item(deal, c.Id, CriterionWhy(c, deal)))],
            });
            sections.Add(new AgendaSection
            {
                Code = AgendaSections.OpenFlags,
                Title = "Open risk flags",
                Items =
                [
                    .. scores.SelectMany(s => s.FlagDetails).Where(f => f.Raised).DistinctBy(f => f.Id)
                        .Select(f => scope.Item(deal, f.Id, $"{AgendaWords.FlagWithReason(f.Id, f.Reason).TrimEnd('.')}.")),
                ],
            });
        }
        else
        {
            sections.Add(LocalFlags(scope, deal));
            sections.Add(ScoresUnavailable.Section(scope, "the missing qualification criteria could not be listed and the open flags are the last ones received", deal));
        }

        return sections;
    }

    /// <summary>The deal the review is about, when the service has heard of it.</summary>
    public static AgendaDeal? DealOf(AgendaScope scope) =>
        scope.Occurrence.OpportunityId is { } id && scope.Data.Deals.TryGetValue(id, out var deal) ? deal : null;

    public static AgendaSection DealUnknown(AgendaScope scope) => new()
    {
        Code = AgendaSections.Deal,
        Title = "The deal",
        Items =
        [
            new AgendaItem
            {
                Code = "deal-unknown",
                OpportunityId = scope.Occurrence.OpportunityId,
                OwnerId = scope.Occurrence.ParticipantIds.FirstOrDefault(),
                OwnerName = scope.UserName(scope.Occurrence.ParticipantIds.FirstOrDefault()),
                Why = "The deal's details have not reached this service yet (or it was deleted): open it in Salesforce for the review.",
            },
        ],
    };

    public static AgendaSection DealSection(AgendaScope scope, AgendaDeal deal)
    {
        var close = deal.CloseDate is { } date ? $"closing {AgendaWords.Date(date)}" : "no close date";
        var score = deal.Score is { } value ? $"qualification score {value} (grade {deal.Grade})" : "not scored yet";
        return new AgendaSection
        {
            Code = AgendaSections.Deal,
            Title = "The deal",
            Items = [scope.Item(deal, "deal", $"{AgendaWords.Money(deal.Amount)} in {deal.Stage ?? "an unknown stage"}, {close}; {score}.")],
        };
    }

    /// <summary>Criteria not met, those already expected at the deal's stage first; the same criterion on two scorecards once.</summary>
    private static IEnumerable<ScoringCriterion> MissingCriteria(IReadOnlyList<ScoringScore> scores, AgendaDeal deal) =>
        scores.SelectMany(s => s.Criteria)
            .Where(c => c.Status is ScoringCriterion.NotMet or ScoringCriterion.NotYetExpected)
            .DistinctBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .OrderBy(c => c.Status == ScoringCriterion.NotMet ? 0 : 1);

    private static string CriterionWhy(ScoringCriterion criterion, AgendaDeal deal) => criterion.Status == ScoringCriterion.NotMet
        ? $"Not shown yet: {criterion.Name}{(criterion.ExpectedFromStage is { } stage ? $" — expected from {stage}, and the deal is already in {deal.Stage}" : "")}."
        : $"Not shown yet: {criterion.Name}{(criterion.ExpectedFromStage is { } later ? $" — not expected until {later}, but worth planning now" : "")}.";

    private static AgendaSection LocalFlags(AgendaScope scope, AgendaDeal deal) => new()
    {
        Code = AgendaSections.OpenFlags,
        Title = "Open risk flags (last received)",
        Items =
        [
            .. scope.FlagsOf(deal.OpportunityId).OrderBy(f => f.RaisedAt)
                .Select(f => scope.Item(deal, f.Flag, $"{AgendaWords.FlagWithReason(f.Flag, f.Reason)} (raised {AgendaWords.Date(DateOnly.FromDateTime(f.RaisedAt))}).")),
        ],
    };
}
