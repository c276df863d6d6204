using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>Daily huddle (and custom cadences): new risk flags since the previous occurrence, next steps due today.</summary>
internal static class HuddleAgenda
{
    /// <summary>How far back a first huddle looks for new flags.</summary>
    public static readonly TimeSpan FirstLookBack = TimeSpan.FromHours(24);

    public static IReadOnlyList<AgendaSection> Compose(AgendaScope scope)
    {
        var previous = scope.Data.PreviousFiredAt.TryGetValue(scope.Occurrence.Id, out var fired) ? fired : (DateTimeOffset?)null;
        var since = (previous ?? scope.Occurrence.ScheduledAt - FirstLookBack).UtcDateTime;
        var sinceWords = previous is null ? "in the last 24 hours" : "since the last huddle";
        var deals = scope.TeamDeals.ToList();

        var newRisks = deals
            .SelectMany(deal => scope.FlagsOf(deal.OpportunityId).Where(f => f.RaisedAt > since).Select(flag => (deal, flag)))
            .OrderByDescending(x => x.deal.Amount ?? 0).ThenBy(x => x.flag.RaisedAt).ThenBy(x => x.deal.OpportunityId, StringComparer.Ordinal)
            .Select(x => scope.Item(x.deal, x.flag.Flag, $"New {sinceWords} — {AgendaWords.FlagWithReason(x.flag.Flag, x.flag.Reason)}."))
            .ToList();

        var nextSteps = deals
            .Where(d => d.NextStepDate == scope.LocalDate)
            .OrderByDescending(d => d.Amount ?? 0).ThenBy(d => d.OpportunityId, StringComparer.Ordinal)
            .Select(d => scope.Item(d, "next-step-due", string.IsNullOrWhiteSpace(d.NextStep)
                ? "A next step is dated today but not described: ask what was agreed with the customer."
                : $"Next step due today: “{d.NextStep.Trim()}”."))
            .ToList();

        return
        [
            new AgendaSection { Code = AgendaSections.NewRisks, Title = previous is null ? "New risk flags in the last 24 hours" : "New risk flags since the last huddle", Items = newRisks },
            new AgendaSection { Code = AgendaSections.NextStepsDue, Title = "Next steps due today", Items = nextSteps },
        ];
    }
}
