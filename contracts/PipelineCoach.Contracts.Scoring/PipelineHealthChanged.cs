namespace PipelineCoach.Contracts.Scoring;

/// <summary>A rep's or team's pipeline health crossed a threshold (raised or cleared).</summary>
public sealed record PipelineHealthChanged
{
    /// <summary>The stable message name (exchange name) for this contract.</summary>
    public const string MessageName = "scoring.pipeline-health-changed";

    /// <summary>Business key (<c>condition:subject:period</c>) so each condition is announced once.</summary>
    public required string BusinessKey { get; init; }

    /// <summary><c>rep</c> or <c>team</c>.</summary>
    public required string SubjectKind { get; init; }

    /// <summary>18-character user id of the rep, or of the manager for a team.</summary>
    public required string SubjectId { get; init; }

    /// <summary>Fiscal period (e.g. <c>2026-Q4</c>).</summary>
    public required string Period { get; init; }

    /// <summary>
    /// Condition code: <c>coverage-below-target</c>, <c>inflow-dried-up</c>, <c>tunnel-vision</c> (reps only; value =
    /// the busiest open deal's share of the rep's activity days), <c>target-accounts-uncovered</c> (value = share of
    /// target accounts covered) or <c>early-stage-thin</c> (value = early-stage share of open pipeline).
    /// </summary>
    public required string Condition { get; init; }

    /// <summary>True when the condition is now raised; false when it cleared.</summary>
    public required bool IsRaised { get; init; }

    /// <summary>The measured value (e.g. coverage 1.8).</summary>
    public decimal Value { get; init; }

    /// <summary>The threshold the value was compared with (e.g. target coverage 3.0).</summary>
    public decimal Threshold { get; init; }

    /// <summary>When the change was detected.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Explanation in plain words.</summary>
    public string? Reason { get; init; }
}
