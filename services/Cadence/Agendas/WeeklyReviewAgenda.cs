using PipelineCoach.Cadence.Agendas.Scoring;
using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>
/// Weekly pipeline review: early-stage opportunities first, then slipped and stalled deals and premature
/// presentations, then coverage and inflow against target (live from Scoring, else the last health alerts received).
/// </summary>
internal static class WeeklyReviewAgenda
{
    public const string SlippingFlag = "slipping";
    public const string StalledFlag = "stalled";
    public const string PrematurePresentationFlag = "premature-presentation";

    public static IReadOnlyList<AgendaSection> Compose(AgendaScope scope)
    {
        var deals = scope.TeamDeals.OrderByDescending(d => d.Amount ?? 0).ThenBy(d => d.OpportunityId, StringComparer.Ordinal).ToList();
        var early = scope.Options.StageLadder.Take(scope.Options.EarlyStageCount).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var sections = new List<AgendaSection>
        {
            new()
            {
                Code = AgendaSections.EarlyStage,
                Title = "Early-stage opportunities (coach these first)",
                Items = [.. deals.Where(d => d.Stage is not null && early.Contains(d.Stage)).Select(d => scope.Item(d, "early-stage", EarlyStageWhy(scope, d)))],
            },
            Flagged(scope, deals, AgendaSections.Slipped, "Slipped deals", SlippingFlag),
            Flagged(scope, deals, AgendaSections.Stalled, "Stalled deals", StalledFlag),
            Flagged(scope, deals, AgendaSections.PrematurePresentations, "Premature presentations", PrematurePresentationFlag),
        };

        if (scope.Scoring.Answered)
        {
            var reports = (scope.Scoring.Team is { } team ? new[] { team } : []).Concat(scope.Scoring.Reps.OrderBy(r => r.Coverage.Ratio ?? decimal.MaxValue)).ToList();
            sections.Add(new AgendaSection { Code = AgendaSections.Coverage, Title = "Coverage against target", Items = [.. reports.Select(r => CoverageItem(scope, r))] });
            sections.Add(new AgendaSection { Code = AgendaSections.Inflow, Title = "Inflow against target", Items = [.. reports.Select(r => InflowItem(scope, r))] });
        }
        else
        {
            sections.Add(new AgendaSection { Code = AgendaSections.Coverage, Title = "Coverage against target (last alerts received)", Items = LocalConditions(scope, "coverage-below-target") });
            sections.Add(new AgendaSection { Code = AgendaSections.Inflow, Title = "Inflow against target (last alerts received)", Items = LocalConditions(scope, "inflow-dried-up") });
            sections.Add(ScoresUnavailable.Section(scope, "coverage and inflow show the last pipeline health alerts received instead of live figures"));
        }

        return sections;
    }

    private static string EarlyStageWhy(AgendaScope scope, AgendaDeal deal)
    {
        var parts = new List<string>();
        var since = deal.StageEnteredAt is { } entered ? $" for {AgendaWords.Days(Math.Max(0, scope.LocalDate.DayNumber - DateOnly.FromDateTime(entered).DayNumber))}" : "";
        parts.Add($"In {deal.Stage}{since}");
        if (deal.CloseDate is { } close)
        {
            parts.Add($"closing {AgendaWords.Date(close)}");
        }

        parts.Add(deal.Score is { } score ? $"qualification score {score} (grade {deal.Grade})" : "not scored yet");
        var flags = scope.FlagsOf(deal.OpportunityId).Select(f => AgendaWords.FlagName(f.Flag)).Distinct(StringComparer.Ordinal).ToList();
        if (flags.Count > 0)
        {
            parts.Add($"flagged {string.Join(", ", flags).ToLowerInvariant()}");
        }

        return string.Join("; ", parts) + ". Early enough for coaching to change the outcome: agree the approach now.";
    }

    private static AgendaSection Flagged(AgendaScope scope, IReadOnlyList<AgendaDeal> deals, string code, string title, string flag) => new()
    {
        Code = code,
        Title = title,
        Items =
        [
            .. deals.Select(d => (Deal: d, Flag: scope.FlagsOf(d.OpportunityId).FirstOrDefault(f => f.Flag == flag)))
                .Where(x => x.Flag is not null)
                .Select(x => scope.Item(x.Deal, flag, $"{AgendaWords.FlagWithReason(flag, x.Flag!.Reason)}. {Situation(x.Deal)}.")),
        ],
    };

    private static string Situation(AgendaDeal deal) =>
        deal.CloseDate is { } close ? $"Now in {deal.Stage ?? "an unknown stage"}, closing {AgendaWords.Date(close)}" : $"Now in {deal.Stage ?? "an unknown stage"}, no close date";

    private static AgendaItem CoverageItem(AgendaScope scope, ScoringHealthReport report)
    {
        var (who, userId) = Subject(scope, report);
        var c = report.Coverage;
        if (c.Quota is null)
        {
            return scope.RepItem(userId, "coverage-unknown",
                $"{who}: no quota set for {report.Period}, so coverage cannot be judged; {AgendaWords.Money(c.QualifiedPipeline)} of qualified pipeline is open in the period.");
        }

        if (c.RemainingQuota is 0)
        {
            return scope.RepItem(userId, "coverage-met", $"{who}: the {report.Period} quota of {AgendaWords.Money(c.Quota)} is already won.");
        }

        var ratio = c.Ratio ?? 0;
        if (ratio < c.Target)
        {
            var gap = Math.Max(0, (c.Target * (c.RemainingQuota ?? 0)) - c.QualifiedPipeline);
            return scope.RepItem(userId, "coverage-below-target",
                $"{who}: coverage {AgendaWords.Ratio(ratio)} against a {AgendaWords.Ratio(c.Target)} target — {AgendaWords.Money(c.QualifiedPipeline)} of qualified pipeline for the {AgendaWords.Money(c.RemainingQuota)} of quota still to win in {report.Period}; about {AgendaWords.Money(gap)} more qualified pipeline needed.");
        }

        return scope.RepItem(userId, "coverage-on-target",
            $"{who}: coverage {AgendaWords.Ratio(ratio)} meets the {AgendaWords.Ratio(c.Target)} target — {AgendaWords.Money(c.QualifiedPipeline)} of qualified pipeline for the {AgendaWords.Money(c.RemainingQuota)} still to win in {report.Period}.");
    }

    private static AgendaItem InflowItem(AgendaScope scope, ScoringHealthReport report)
    {
        var (who, userId) = Subject(scope, report);
        var i = report.Inflow;
        return i.DriedUp
            ? scope.RepItem(userId, "inflow-dried-up",
                $"{who}: {i.Recent} new opportunities in the last {i.WindowDays} days against a usual {AgendaWords.Number(i.Norm)} — prospecting has stopped; the pipeline will run dry next quarter.")
            : scope.RepItem(userId, "inflow-on-track", $"{who}: {i.Recent} new opportunities in the last {i.WindowDays} days (usual {AgendaWords.Number(i.Norm)}).");
    }

    private static (string Who, string UserId) Subject(AgendaScope scope, ScoringHealthReport report) =>
        report.SubjectKind == "team" ? ("The team", report.SubjectId) : (scope.RepLabel(report.SubjectId), report.SubjectId);

    /// <summary>The latest alert of <paramref name="condition"/> for each rep and the team, from PipelineHealthChanged: team first, raised before cleared.</summary>
    private static List<AgendaItem> LocalConditions(AgendaScope scope, string condition) =>
    [
        .. scope.People
            .SelectMany(person => scope.Data.ConditionsBySubject[person])
            .Where(c => c.Condition == condition)
            .GroupBy(c => (c.SubjectKind, c.SubjectId))
            .Select(g => g.MaxBy(c => c.OccurredAt)!)
            .OrderBy(c => c.SubjectKind == "team" ? 0 : 1).ThenByDescending(c => c.IsRaised).ThenBy(c => c.SubjectId, StringComparer.Ordinal)
            .Select(c => scope.RepItem(c.SubjectId, c.IsRaised ? condition : $"{condition}-cleared",
                $"{(c.SubjectKind == "team" ? "The team" : scope.RepLabel(c.SubjectId))}, {c.Period}: {(c.IsRaised ? "" : "cleared — ")}{c.Reason ?? Fallback(condition, c)} (alert of {AgendaWords.Date(DateOnly.FromDateTime(c.OccurredAt))}).")),
    ];

    private static string Fallback(string condition, LocalHealthCondition c) => condition == "coverage-below-target"
        ? $"coverage {AgendaWords.Ratio(c.Value)} against a {AgendaWords.Ratio(c.Threshold)} target"
        : $"{AgendaWords.Number((double)c.Value)} new opportunities against a usual {AgendaWords.Number((double)c.Threshold)}";
}
