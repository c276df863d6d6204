namespace PipelineCoach.Cadence.Agendas;

/// <summary>An opportunity as agendas read it (from OpportunityChanged), with its current qualification score if scored.</summary>
internal sealed record AgendaDeal
{
    public string OpportunityId { get; init; } = "";

    public string? Name { get; init; }

    public string? OwnerId { get; init; }

    public string? Stage { get; init; }

    public decimal? Amount { get; init; }

    public DateOnly? CloseDate { get; init; }

    public string? NextStep { get; init; }

    public DateOnly? NextStepDate { get; init; }

    public decimal? DiscountPercent { get; init; }

    public bool IsClosed { get; init; }

    /// <summary>UTC.</summary>
    public DateTime? CreatedDate { get; init; }

    /// <summary>UTC.</summary>
    public DateTime? StageEnteredAt { get; init; }

    /// <summary>The latest qualification score received (null before the first).</summary>
    public int? Score { get; init; }

    public string? Grade { get; init; }
}
