using System.Globalization;

namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>
/// Pipeline health per rep and per team, pure: the same deals, quota and day always give the same report, so every
/// rule is unit-tested without a database and every raised condition says why.
/// </summary>
internal static class HealthCalculator
{
    public const string CoverageBelowTarget = "coverage-below-target";
    public const string InflowDriedUp = "inflow-dried-up";
    public const string TunnelVision = "tunnel-vision";
    public const string TargetAccountsUncovered = "target-accounts-uncovered";
    public const string EarlyStageThin = "early-stage-thin";

    private static readonly CultureInfo Words = CultureInfo.InvariantCulture;

    /// <summary>
    /// The team's closed deals over the look-back that reached the qualified stage: the sample the coverage target is
    /// derived from. Deals without stage history cannot show how far they got and are left out.
    /// </summary>
    public static WinRateHistory WinRate(IReadOnlyList<ClosedDeal> closed, StageLadder ladder, PipelineHealthOptions options)
    {
        var reached = closed.Where(d => d.HasStageHistory && ladder.Reached(d, options.QualifiedStage)).ToList();
        return new WinRateHistory(reached.Count, reached.Count(d => d.IsWon), reached.Sum(d => d.Amount), reached.Where(d => d.IsWon).Sum(d => d.Amount),
            options.QualifiedStage, options.WinRateLookbackDays);
    }

    /// <summary>
    /// 1 ÷ the team's win rate by value on deals that reached the qualified stage (won amount ÷ closed amount) when it
    /// has closed enough such deals, else the rule of thumb. Coverage counts the value of qualified deals, so the
    /// target does too.
    /// </summary>
    public static (decimal Target, string Basis) CoverageTarget(WinRateHistory history, PipelineHealthOptions options)
    {
        if (history.Closed >= options.MinClosedDealsForWinRate && history.WonAmount > 0 && history.ClosedAmount > 0)
        {
            var winRate = history.WonAmount / history.ClosedAmount;
            var target = Math.Round(Math.Clamp(1 / winRate, 1m, 10m), 2);
            return (target, string.Create(Words,
                $"1 ÷ the team's win rate by value on deals that reached {history.Stage}: {winRate:P0} ({history.WonAmount:N0} won of {history.ClosedAmount:N0} closed, {history.Won} of {history.Closed} deals, in the last {history.LookbackDays} days)"));
        }

        return (options.DefaultCoverageTarget, string.Create(Words,
            $"the {options.DefaultCoverageTarget:0.#}× rule of thumb: the team closed {history.Closed} {Plural(history.Closed, "deal", "deals")} that reached {history.Stage} in the last {history.LookbackDays} days, and {options.MinClosedDealsForWinRate} are needed to use its own win rate"));
    }

    public static HealthReport ForRep(RepInputs rep, FiscalPeriod period, DateOnly asOf, WinRateHistory teamHistory, PipelineHealthOptions options,
        StageLadder? ladder = null)
    {
        var coverage = Coverage(rep.Deals, rep.Quota, period, teamHistory, options);
        var next = Next(period, options);
        var inflow = Inflow(rep.Deals, asOf, options, reps: 1);
        var concentration = Concentration(rep.Deals, asOf, options);
        var targets = TargetAccounts(rep.Deals, rep.TargetAccounts, asOf, options);
        var early = EarlyStage(rep.Deals, options);
        var conditions = new List<HealthCondition>();
        AddCoverageCondition(conditions, coverage);
        AddInflowCondition(conditions, inflow);
        if (concentration.OpenDeals >= options.TunnelVisionMinOpenDeals)
        {
            conditions.Add(TunnelVisionCondition(concentration, options));
        }

        AddTargetAccountCondition(conditions, targets, rep.TargetAccountNames, options);
        AddEarlyStageCondition(conditions, early, options);
        return new HealthReport("rep", rep.OwnerId, period.Name, asOf, coverage, inflow, concentration, targets, early, conditions,
            next.Name, Coverage(rep.Deals, rep.NextQuota, next, teamHistory, options),
            WalkAway(rep.Closed ?? [], ladder ?? StageLadder.Empty, options));
    }

    /// <summary>
    /// A manager's team: the sums over the reps (quota = the reps' quotas, target accounts = all the reps' lists), with
    /// coverage, inflow, target account and early-stage conditions.
    /// </summary>
    public static HealthReport ForTeam(string managerId, IReadOnlyList<RepInputs> reps, FiscalPeriod period, DateOnly asOf,
        WinRateHistory teamHistory, PipelineHealthOptions options)
    {
        var deals = reps.SelectMany(r => r.Deals).ToList();
        var coverage = Coverage(deals, SumOrNull(reps.Select(r => r.Quota)), period, teamHistory, options);
        var next = Next(period, options);
        var inflow = Inflow(deals, asOf, options, reps.Count);
        var targets = TargetAccounts(deals, [.. reps.SelectMany(r => r.TargetAccounts).Distinct(StringComparer.Ordinal)], asOf, options);
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (id, name) in reps.SelectMany(r => r.TargetAccountNames ?? new Dictionary<string, string?>()))
        {
            names.TryAdd(id, name);
        }

        var early = EarlyStage(deals, options);
        var conditions = new List<HealthCondition>();
        AddCoverageCondition(conditions, coverage);
        AddInflowCondition(conditions, inflow);
        AddTargetAccountCondition(conditions, targets, names, options);
        AddEarlyStageCondition(conditions, early, options);
        return new HealthReport("team", managerId, period.Name, asOf, coverage, inflow, null, targets, early, conditions,
            next.Name, Coverage(deals, SumOrNull(reps.Select(r => r.NextQuota)), next, teamHistory, options));
    }

    /// <summary>The fiscal quarter after <paramref name="period"/>.</summary>
    public static FiscalPeriod Next(FiscalPeriod period, PipelineHealthOptions options) =>
        FiscalPeriod.Containing(period.End.AddDays(1), options.FiscalYearStartMonth);

    /// <summary>Qualified open pipeline closing in the period ÷ the quota not yet won.</summary>
    public static CoverageHealth Coverage(IReadOnlyList<PipelineDeal> deals, decimal? quota, FiscalPeriod period, WinRateHistory history, PipelineHealthOptions options)
    {
        var inPeriod = deals.Where(d => d.CloseDate is { } close && period.Contains(close)).ToList();
        var open = inPeriod.Where(d => !d.IsClosed).ToList();
        var qualified = open.Where(d => d.IsQualified).Sum(d => d.Amount);
        var won = inPeriod.Where(d => d.IsClosed && d.IsWon).Sum(d => d.Amount);
        var remaining = quota is { } q ? Math.Max(0, q - won) : (decimal?)null;
        var (target, basis) = CoverageTarget(history, options);
        var ratio = remaining is > 0 ? Math.Round(qualified / remaining.Value, 2) : (decimal?)null;
        return new CoverageHealth(qualified, open.Sum(d => d.Amount), quota, won, remaining, ratio, target, basis);
    }

    /// <summary>Deals created in the last window against the average of the windows before it.</summary>
    public static InflowHealth Inflow(IReadOnlyList<PipelineDeal> deals, DateOnly asOf, PipelineHealthOptions options, int reps)
    {
        var window = options.InflowWindowDays;
        var recentFrom = asOf.AddDays(-window + 1);
        var normFrom = recentFrom.AddDays(-window * options.InflowNormWindows);
        var recent = deals.Count(d => d.CreatedDate is { } c && c >= recentFrom && c <= asOf);
        var earlier = deals.Count(d => d.CreatedDate is { } c && c >= normFrom && c < recentFrom);
        var norm = (double)earlier / options.InflowNormWindows;
        var driedUp = norm >= options.MinInflowNorm * Math.Max(1, reps) && recent < options.InflowDriedUpRatio * norm;
        return new InflowHealth(recent, Math.Round(norm, 2), window, driedUp);
    }

    /// <summary>
    /// How much of the open pipeline sits on the biggest deal by value, and how much of the rep's recent work on one
    /// deal: activity days per open deal over the tunnel-vision window (a day with activity on a deal counts once for
    /// it), the busiest deal's share of them. The busiest deal need not be the biggest.
    /// </summary>
    public static ConcentrationHealth Concentration(IReadOnlyList<PipelineDeal> deals, DateOnly asOf, PipelineHealthOptions options)
    {
        var open = deals.Where(d => !d.IsClosed).ToList();
        var total = open.Sum(d => d.Amount);
        var top = open.OrderByDescending(d => d.Amount).ThenBy(d => d.Id, StringComparer.Ordinal).FirstOrDefault();
        var worked = open.Where(d => IsRecentlyWorked(d, asOf, options)).ToList();
        var onlyTop = top is not null && worked.Count == 1 && worked[0].Id == top.Id;

        var days = open.Select(d => (Deal: d, Days: ActivityDays(d, asOf, options.TunnelVisionWindowDays))).ToList();
        var activity = days.Sum(d => d.Days);
        var focus = days.Where(d => d.Days > 0).OrderByDescending(d => d.Days).ThenByDescending(d => d.Deal.Amount)
            .ThenBy(d => d.Deal.Id, StringComparer.Ordinal).Select(d => ((PipelineDeal, int)?)d).FirstOrDefault();
        return new ConcentrationHealth(top?.Id, top?.Name, total > 0 && top is not null ? Math.Round(top.Amount / total, 4) : 0,
            open.Count, worked.Count, onlyTop,
            focus?.Item1.Id, focus?.Item1.Name, focus?.Item2 ?? 0, activity,
            activity > 0 ? Math.Round((decimal)focus!.Value.Item2 / activity, 4) : null, options.TunnelVisionWindowDays);
    }

    /// <summary>Distinct days with activity on the deal in the last <paramref name="windowDays"/> days up to <paramref name="asOf"/>.</summary>
    public static int ActivityDays(PipelineDeal deal, DateOnly asOf, int windowDays)
    {
        var from = asOf.AddDays(-windowDays + 1);
        var seen = new HashSet<DateOnly>();
        foreach (var day in deal.ActivityDays ?? [])
        {
            if (day >= from && day <= asOf)
            {
                seen.Add(day);
            }
        }

        if (deal.LastActivityDate is { } last && last >= from && last <= asOf)
        {
            seen.Add(last);
        }

        return seen.Count;
    }

    /// <summary>Target accounts with an open qualified deal, or an open deal worked recently.</summary>
    public static TargetAccountHealth TargetAccounts(IReadOnlyList<PipelineDeal> deals, IReadOnlyList<string> targets, DateOnly asOf, PipelineHealthOptions options)
    {
        var covered = deals.Where(d => !d.IsClosed && d.AccountId is not null && (d.IsQualified || IsRecentlyWorked(d, asOf, options)))
            .Select(d => d.AccountId!).ToHashSet(StringComparer.Ordinal);
        var uncovered = targets.Where(t => !covered.Contains(t)).ToList();
        var count = targets.Count - uncovered.Count;
        return new TargetAccountHealth(targets.Count, count, targets.Count == 0 ? null : Math.Round((decimal)count / targets.Count, 4), uncovered);
    }

    public static EarlyStageHealth EarlyStage(IReadOnlyList<PipelineDeal> deals, PipelineHealthOptions options)
    {
        var open = deals.Where(d => !d.IsClosed).ToList();
        var total = open.Sum(d => d.Amount);
        var early = open.Where(d => d.StageName is not null && options.EarlyStages.Contains(d.StageName, StringComparer.OrdinalIgnoreCase)).Sum(d => d.Amount);
        return new EarlyStageHealth(early, total > 0 ? Math.Round(early / total, 4) : null, total);
    }

    /// <summary>
    /// Of the rep's losses with a stage history, how many were closed before reaching the late stage: a rep who walks
    /// away early spends less time on deals that will not close.
    /// </summary>
    public static WalkAwayHealth WalkAway(IReadOnlyList<ClosedDeal> closed, StageLadder ladder, PipelineHealthOptions options)
    {
        var losses = closed.Where(d => !d.IsWon).ToList();
        var known = losses.Where(d => d.HasStageHistory).ToList();
        var early = known.Count(d => !ladder.Reached(d, options.WalkAwayLateStage));
        return new WalkAwayHealth(known.Count, early, known.Count == 0 ? null : Math.Round((decimal)early / known.Count, 4),
            losses.Count - known.Count, options.WalkAwayLateStage, options.WinRateLookbackDays);
    }

    private static bool IsRecentlyWorked(PipelineDeal deal, DateOnly asOf, PipelineHealthOptions options) =>
        deal.LastActivityDate is { } activity && activity > asOf.AddDays(-options.RecentActivityDays);

    private static decimal? SumOrNull(IEnumerable<decimal?> values)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return present.Count == 0 ? null : present.Sum();
    }

    private static string Invariant(FormattableString text) => text.ToString(Words);

    private static string Plural(int count, string one, string many) => count == 1 ? one : many;

    private static string DealName(string? name) => name is null ? "an unnamed deal" : $"'{name}'";

    private static void AddCoverageCondition(List<HealthCondition> conditions, CoverageHealth coverage)
    {
        // Without a quota there is no coverage to fall short of; with the quota won, coverage is met by definition.
        if (coverage.RemainingQuota is not { } remaining)
        {
            return;
        }

        if (remaining == 0)
        {
            conditions.Add(new HealthCondition(CoverageBelowTarget, false, 0, coverage.Target, "quota already won this period"));
            return;
        }

        var ratio = coverage.Ratio ?? 0;
        var raised = ratio < coverage.Target;
        conditions.Add(new HealthCondition(CoverageBelowTarget, raised, ratio, coverage.Target,
            raised
                ? $"qualified pipeline {coverage.QualifiedPipeline:N0} covers the remaining quota {coverage.RemainingQuota:N0} {ratio}×, below the {coverage.Target}× target ({coverage.TargetBasis}); {Math.Max(0, (coverage.Target * coverage.RemainingQuota!.Value) - coverage.QualifiedPipeline):N0} more qualified pipeline needed"
                : $"coverage {ratio}× meets the {coverage.Target}× target ({coverage.TargetBasis})"));
    }

    private static void AddInflowCondition(List<HealthCondition> conditions, InflowHealth inflow) =>
        conditions.Add(new HealthCondition(InflowDriedUp, inflow.DriedUp, inflow.Recent, (decimal)Math.Round(inflow.Norm, 2),
            inflow.DriedUp
                ? $"{inflow.Recent} new opportunities in the last {inflow.WindowDays} days against a norm of {inflow.Norm:0.#}: prospecting has stopped"
                : $"{inflow.Recent} new opportunities in the last {inflow.WindowDays} days (norm {inflow.Norm:0.#})"));

    private static HealthCondition TunnelVisionCondition(ConcentrationHealth c, PipelineHealthOptions options)
    {
        var share = c.FocusActivityShare ?? 0;
        var others = c.OpenDeals - 1;
        if (c.ActivityDays < options.TunnelVisionMinActivityDays)
        {
            return new HealthCondition(TunnelVision, false, share, options.TunnelVisionActivityShare, string.Create(Words,
                $"too little activity to judge focus: {c.ActivityDays} {Plural(c.ActivityDays, "day", "days")} of activity on open deals in the last {c.ActivityWindowDays} days"));
        }

        var raised = share >= options.TunnelVisionActivityShare;
        return new HealthCondition(TunnelVision, raised, share, options.TunnelVisionActivityShare, raised
            ? Invariant($"in the last {c.ActivityWindowDays} days, {c.FocusActivityDays} of the {c.ActivityDays} days of activity on open deals were on {DealName(c.FocusDealName)} ({share:P0}); the other {others} open {Plural(others, "deal", "deals")} had {c.ActivityDays - c.FocusActivityDays} between them. Tunnel vision starts at {options.TunnelVisionActivityShare:P0}")
            : Invariant($"work is spread: the busiest deal, {DealName(c.FocusDealName)}, had {c.FocusActivityDays} of the {c.ActivityDays} days of activity on open deals in the last {c.ActivityWindowDays} days ({share:P0}), under {options.TunnelVisionActivityShare:P0}"));
    }

    private static void AddTargetAccountCondition(List<HealthCondition> conditions, TargetAccountHealth targets, IReadOnlyDictionary<string, string?>? names,
        PipelineHealthOptions options)
    {
        // Only a rep (or team) with a Magnificent 50 can leave it uncovered.
        if (targets.Share is not { } share)
        {
            return;
        }

        var raised = share < options.TargetAccountsCoveredFloor;
        conditions.Add(new HealthCondition(TargetAccountsUncovered, raised, share, options.TargetAccountsCoveredFloor, raised
            ? Invariant($"only {targets.Covered} of {targets.Listed} target accounts ({share:P0}) have an open qualified deal or an open deal worked in the last {options.RecentActivityDays} days, under the {options.TargetAccountsCoveredFloor:P0} floor; not covered: {AccountList(targets.Uncovered, names)}")
            : Invariant($"{targets.Covered} of {targets.Listed} target accounts ({share:P0}) have an open qualified deal or an open deal worked in the last {options.RecentActivityDays} days")));
    }

    /// <summary>Up to three uncovered accounts by name, then how many more; an account without a name is only counted.</summary>
    private static string AccountList(IReadOnlyList<string> uncovered, IReadOnlyDictionary<string, string?>? names)
    {
        var named = uncovered.Select(id => names is not null && names.TryGetValue(id, out var name) ? name : null)
            .Where(n => !string.IsNullOrWhiteSpace(n)).Take(3).ToList();
        var rest = uncovered.Count - named.Count;
        if (named.Count == 0)
        {
            return string.Create(Words, $"{uncovered.Count} {Plural(uncovered.Count, "account", "accounts")} (names not recorded)");
        }

        return rest > 0 ? string.Create(Words, $"{string.Join(", ", named)} and {rest} more") : string.Join(", ", named);
    }

    private static void AddEarlyStageCondition(List<HealthCondition> conditions, EarlyStageHealth early, PipelineHealthOptions options)
    {
        // Without open pipeline there is no share to be thin; inflow speaks to that.
        if (early.Share is not { } share)
        {
            return;
        }

        var stages = string.Join(", ", options.EarlyStages);
        var raised = share < options.EarlyStageFloor;
        conditions.Add(new HealthCondition(EarlyStageThin, raised, share, options.EarlyStageFloor, raised
            ? Invariant($"only {share:P0} of open pipeline ({early.EarlyStageValue:N0} of {early.OpenPipeline:N0}) is in the early stages ({stages}), under the {options.EarlyStageFloor:P0} floor: little is coming through for the quarters ahead")
            : Invariant($"{share:P0} of open pipeline ({early.EarlyStageValue:N0} of {early.OpenPipeline:N0}) is in the early stages ({stages})")));
    }
}
