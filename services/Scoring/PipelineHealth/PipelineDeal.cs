namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>
/// One opportunity as pipeline health sees it. <see cref="ActivityDays"/> are the days it is known to have had
/// activity (each last activity date observed, see <c>PipelineHealthStore</c>); <see cref="LastActivityDate"/> always
/// counts as one of them.
/// </summary>
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
    bool IsQualified,
    IReadOnlyList<DateOnly>? ActivityDays = null);
