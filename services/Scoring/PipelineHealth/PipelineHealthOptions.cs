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

    /// <summary>
    /// The stage that makes a deal "qualified" for the coverage target: the target is 1 ÷ the team's win rate by
    /// value over closed deals that reached this stage (first entered it, or a later stage of the qualification
    /// scorecard's ladder, per the opportunity's stage history; a won deal has reached every stage). The default,
    /// Needs Analysis, is the first stage past Qualification. Closed deals with no stage history are left out.
    /// </summary>
    [Required]
    public string QualifiedStage { get; set; } = "Needs Analysis";

    /// <summary>The coverage target used until the team has enough closed deals to derive one (the 3× rule of thumb).</summary>
    [Range(1.0, 20.0)]
    public decimal DefaultCoverageTarget { get; set; } = 3.0m;

    /// <summary>
    /// Closed deals (won or lost) that reached <see cref="QualifiedStage"/> the team needs in the look-back before its
    /// own win rate sets the target.
    /// </summary>
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

    /// <summary>Tunnel vision looks at the rep's activity over this many days.</summary>
    [Range(7, 90)]
    public int TunnelVisionWindowDays { get; set; } = 30;

    /// <summary>
    /// Tunnel vision is raised when one open deal holds at least this share of the rep's activity days on open deals
    /// in the window (a day with activity on a deal counts once for that deal).
    /// </summary>
    [Range(0.0, 1.0)]
    public decimal TunnelVisionActivityShare { get; set; } = 0.6m;

    /// <summary>
    /// Fewer activity days than this in the window are too little work to call tunnel vision. The default, 1, keeps a
    /// rep who worked only one of their open deals raised even before the monitor has seen more than one last activity
    /// date per deal (right after the initial load).
    /// </summary>
    [Range(1, 100)]
    public int TunnelVisionMinActivityDays { get; set; } = 1;

    /// <summary>
    /// <c>target-accounts-uncovered</c> is raised when under this share of the rep's (or team's) target accounts has an
    /// open qualified deal or an open deal worked recently. Only for reps with target accounts.
    /// </summary>
    [Range(0.0, 1.0)]
    public decimal TargetAccountsCoveredFloor { get; set; } = 0.5m;

    /// <summary><c>early-stage-thin</c> is raised when the early stages hold under this share of open pipeline value.</summary>
    [Range(0.0, 1.0)]
    public decimal EarlyStageFloor { get; set; } = 0.25m;

    /// <summary>
    /// Walk-away discipline: a lost deal that never reached this stage (per its stage history) was closed early, one
    /// that did was closed late.
    /// </summary>
    [Required]
    public string WalkAwayLateStage { get; set; } = "Proposal/Price Quote";

    /// <summary>Normal stage durations come from the org's closed deals for a stage with at least this many samples.</summary>
    [Range(1, 10_000)]
    public int MinStageDurationSamples { get; set; } = 20;

    /// <summary>The early stages, where coaching can still change the deal.</summary>
    [Required]
    public IList<string> EarlyStages { get; set; } = ["Prospecting", "Qualification", "Needs Analysis"];

    /// <summary>How often health is evaluated for every rep and team to announce crossed thresholds.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Turn the periodic evaluation off (health is still computed on request).</summary>
    public bool MonitorEnabled { get; set; } = true;
}
