namespace PipelineCoach.Cadence.Agendas;

/// <summary>Whether live figures from Scoring went into an agenda.</summary>
internal enum ScoringStatus
{
    /// <summary>The agenda needs nothing from Scoring.</summary>
    NotNeeded,

    Answered,

    /// <summary>Scoring failed, timed out, or was given up on for this batch.</summary>
    Unavailable,

    /// <summary>No <c>Scoring:BaseUrl</c>: local data only.</summary>
    NotConfigured,
}
