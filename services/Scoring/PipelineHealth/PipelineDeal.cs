namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>One opportunity as pipeline health sees it.</summary>
internal sealed record PipelineDeal(
    string Id,
    string OwnerId,
    string? AccountId,
    string? Name,
    decimal Amount,
    string? StageName,
    bool IsClosed,
    bool IsWon,
    DateOnly? CloseDate,
    DateOnly? CreatedDate,
    DateOnly? LastActivityDate,
    bool IsQualified);
