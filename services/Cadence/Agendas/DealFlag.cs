namespace PipelineCoach.Cadence.Agendas;

/// <summary>A risk flag now raised on a deal: since when (UTC) and why, in Scoring's words.</summary>
internal sealed record DealFlag
{
    public string OpportunityId { get; init; } = "";

    public string Flag { get; init; } = "";

    public DateTime RaisedAt { get; init; }

    public string? Reason { get; init; }
}
