using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>Pipeline health rules (section <c>PipelineHealth</c>).</summary>
public sealed class PipelineHealthOptions
{
    public const string Section = "PipelineHealth";

    /// <summary>The month (1–12) the fiscal year starts. A fiscal year is named after the calendar year it ends in.</summary>
    [Range(1, 12)]
    public int FiscalYearStartMonth { get; set; } = 1;

    /// <summary>The scorecard whose score decides whether an open deal counts as qualified pipeline.</summary>
    [Required]
    public string QualificationScorecardId { get; set; } = "proactive-qualification";

    /// <summary>The lowest score (override included) of a qualified deal; 60 is grade B on the default scorecard.</summary>
    [Range(0, 100)]
    public int QualifiedMinScore { get; set; } = 60;

    /// <summary>The coverage target used until the team has enough closed deals to derive one (the 3× rule of thumb).</summary>
    [Range(1.0, 20.0)]
    public decimal DefaultCoverageTarget { get; set; } = 3.0m;

    /// <summary>Closed deals (won or lost) the team needs in the look-back before its own win rate sets the target.</summary>
    [Range(1, 10_000)]
    public int MinClosedDealsForWinRate { get; set; } = 20;

    [Range(30, 3650)]
    public int WinRateLookbackDays { get; set; } = 365;

    /// <summary>"New opportunities recently": the window counted, in days.</summary>
    [Range(1, 365)]
    public int InflowWindowDays { get; set; } = 30;

    /// <summary>How many earlier windows make the rep's norm (their average).</summary>
    [Range(1, 24)]
    public int InflowNormWindows { get; set; } = 6;

    /// <summary>Inflow has dried up when the last window brought less than this share of the norm.</summary>
    [Range(0.0, 1.0)]
    public double InflowDriedUpRatio { get; set; } = 0.5;

    /// <summary>A norm below this many new deals per window is too thin to call a drop.</summary>
    [Range(0.0, 100.0)]
    public double MinInflowNorm { get; set; } = 1.0;

    /// <summary>"Worked recently": activity within this many days (tunnel vision, target accounts).</summary>
    [Range(1, 90)]
    public int RecentActivityDays { get; set; } = 14;

    /// <summary>Tunnel vision needs at least this many open deals (one hot deal among few is normal).</summary>
    [Range(2, 100)]
    public int TunnelVisionMinOpenDeals { get; set; } = 3;

    /// <summary>The early stages, where coaching can still change the deal.</summary>
    [Required]
    public IList<string> EarlyStages { get; set; } = ["Prospecting", "Qualification", "Needs Analysis"];

    /// <summary>How often health is evaluated for every rep and team to announce crossed thresholds.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Turn the periodic evaluation off (health is still computed on request).</summary>
    public bool MonitorEnabled { get; set; } = true;
}
