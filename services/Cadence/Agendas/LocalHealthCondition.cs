namespace PipelineCoach.Cadence.Agendas;

/// <summary>A pipeline health condition as the last PipelineHealthChanged described it.</summary>
internal sealed record LocalHealthCondition
{
    public string SubjectKind { get; init; } = "";

    public string SubjectId { get; init; } = "";

    public string Period { get; init; } = "";

    public string Condition { get; init; } = "";

    public bool IsRaised { get; init; }

    public decimal Value { get; init; }

    public decimal Threshold { get; init; }

    public string? Reason { get; init; }

    /// <summary>UTC.</summary>
    public DateTime OccurredAt { get; init; }
}
