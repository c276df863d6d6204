using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>Target-account planning: each rep's Magnificent 50 coverage, from Scoring's pipeline health.</summary>
internal static class TargetAccountAgenda
{
    public static IReadOnlyList<AgendaSection> Compose(AgendaScope scope)
    {
        if (!scope.Scoring.Answered)
        {
            return [ScoresUnavailable.Section(scope, "the target-account coverage could not be shown: go through each rep's target list by hand")];
        }

        var items = scope.Scoring.Reps
            .OrderBy(r => r.TargetAccounts.Listed == 0 ? -1 : r.TargetAccounts.Share ?? 0).ThenBy(r => r.SubjectId, StringComparer.Ordinal)
            .Select(r =>
            {
                var t = r.TargetAccounts;
                var who = scope.RepLabel(r.SubjectId);
                return t.Listed == 0
                    ? scope.RepItem(r.SubjectId, "no-target-accounts", $"{who} has no target accounts listed: pick the ideal accounts (up to 50) to work this period.")
                    : scope.RepItem(r.SubjectId, "target-accounts",
                        $"{who}: {t.Covered} of {t.Listed} target accounts covered ({AgendaWords.Percent(Math.Round((t.Share ?? 0) * 100, 1))}); {t.Listed - t.Covered} have no open qualified deal and no recent activity.");
            })
            .ToList();
        return [new AgendaSection { Code = AgendaSections.TargetAccounts, Title = "Magnificent 50 coverage", Items = items }];
    }
}
