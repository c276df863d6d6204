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

    /// <summary>About 1 ÷ the team's win rate when it has closed enough deals, else the rule of thumb.</summary>
    public static (decimal Target, string Basis) CoverageTarget(WinRateHistory history, PipelineHealthOptions options)
    {
        if (history.Closed >= options.MinClosedDealsForWinRate && history.Won > 0)
        {
            var winRate = (decimal)history.Won / history.Closed;
            var target = Math.Round(Math.Clamp(1 / winRate, 1m, 10m), 2);
            return (target, $"1 ÷ team win rate {winRate:P0} ({history.Won} won of {history.Closed} closed)");
        }

        return (options.DefaultCoverageTarget,
            $"rule of thumb {options.DefaultCoverageTarget.ToString(CultureInfo.InvariantCulture)}× (team has {history.Closed} closed deals; {options.MinClosedDealsForWinRate} needed to use its win rate)");
    }

    public static HealthReport ForRep(RepInputs rep, FiscalPeriod period, DateOnly asOf, WinRateHistory teamHistory, PipelineHealthOptions options)
    {
        var coverage = Coverage(rep.Deals, rep.Quota, period, teamHistory, options);
        var inflow = Inflow(rep.Deals, asOf, options, reps: 1);
        var concentration = Concentration(rep.Deals, asOf, options);
        var conditions = new List<HealthCondition>();
        AddCoverageCondition(conditions, coverage);
        AddInflowCondition(conditions, inflow);
        if (concentration.OpenDeals >= options.TunnelVisionMinOpenDeals)
        {
            conditions.Add(new HealthCondition(TunnelVision, concentration.OnlyTopDealWorked, concentration.RecentlyWorkedDeals - (concentration.OnlyTopDealWorked ? 1 : 0), 1,
                concentration.OnlyTopDealWorked
                    ? $"only the top deal '{concentration.TopDealName ?? concentration.TopDealId}' ({concentration.TopDealValueShare:P0} of open pipeline) was worked in the last {options.RecentActivityDays} days; {concentration.OpenDeals - 1} other open deals untouched"
                    : $"{concentration.RecentlyWorkedDeals} of {concentration.OpenDeals} open deals worked in the last {options.RecentActivityDays} days"));
        }

        return new HealthReport("rep", rep.OwnerId, period.Name, asOf, coverage, inflow, concentration,
            TargetAccounts(rep.Deals, rep.TargetAccounts, asOf, options), EarlyStage(rep.Deals, options), conditions);
    }

    /// <summary>A manager's team: the sums over the reps (quota = the reps' quotas), with coverage and inflow conditions.</summary>
    public static HealthReport ForTeam(string managerId, IReadOnlyList<RepInputs> reps, FiscalPeriod period, DateOnly asOf,
        WinRateHistory teamHistory, PipelineHealthOptions options)
    {
        var deals = reps.SelectMany(r => r.Deals).ToList();
        var quotas = reps.Where(r => r.Quota is not null).Select(r => r.Quota!.Value).ToList();
        var coverage = Coverage(deals, quotas.Count == 0 ? null : quotas.Sum(), period, teamHistory, options);
        var inflow = Inflow(deals, asOf, options, reps.Count);
        var conditions = new List<HealthCondition>();
        AddCoverageCondition(conditions, coverage);
        AddInflowCondition(conditions, inflow);
        return new HealthReport("team", managerId, period.Name, asOf, coverage, inflow, null,
            TargetAccounts(deals, [.. reps.SelectMany(r => r.TargetAccounts).Distinct(StringComparer.Ordinal)], asOf, options),
            EarlyStage(deals, options), conditions);
    }

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

    /// <summary>How much of the open pipeline (value and recent work) sits on the biggest deal.</summary>
    public static ConcentrationHealth Concentration(IReadOnlyList<PipelineDeal> deals, DateOnly asOf, PipelineHealthOptions options)
    {
        var open = deals.Where(d => !d.IsClosed).ToList();
        var total = open.Sum(d => d.Amount);
        var top = open.OrderByDescending(d => d.Amount).ThenBy(d => d.Id, StringComparer.Ordinal).FirstOrDefault();
        var worked = open.Where(d => IsRecentlyWorked(d, asOf, options)).ToList();
        var onlyTop = top is not null && worked.Count == 1 && worked[0].Id == top.Id;
        return new ConcentrationHealth(top?.Id, top?.Name, total > 0 && top is not null ? Math.Round(top.Amount / total, 4) : 0,
            open.Count, worked.Count, onlyTop);
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
        return new EarlyStageHealth(early, total > 0 ? Math.Round(early / total, 4) : null);
    }

    private static bool IsRecentlyWorked(PipelineDeal deal, DateOnly asOf, PipelineHealthOptions options) =>
        deal.LastActivityDate is { } activity && activity > asOf.AddDays(-options.RecentActivityDays);

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
                : $"coverage {ratio}× meets the {coverage.Target}× target"));
    }

    private static void AddInflowCondition(List<HealthCondition> conditions, InflowHealth inflow) =>
        conditions.Add(new HealthCondition(InflowDriedUp, inflow.DriedUp, inflow.Recent, (decimal)Math.Round(inflow.Norm, 2),
            inflow.DriedUp
                ? $"{inflow.Recent} new opportunities in the last {inflow.WindowDays} days against a norm of {inflow.Norm:0.#}: prospecting has stopped"
                : $"{inflow.Recent} new opportunities in the last {inflow.WindowDays} days (norm {inflow.Norm:0.#})"));
}
