namespace PipelineCoach.Cadence.Agendas;

/// <summary>What an agenda kind asks Scoring for.</summary>
internal enum ScoringNeed
{
    None,

    /// <summary>The deal's scores (criteria and flag details).</summary>
    Scores,

    /// <summary>The pipeline health of the team or rep.</summary>
    Health,
}
