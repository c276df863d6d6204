namespace PipelineCoach.Cadence.Triggers;

/// <summary>
/// What happened to an opportunity, as far as triggers care: created (first seen through a create), or moved into
/// <see cref="Stage"/> from another stage.
/// </summary>
public sealed record OpportunityMove(
    string OpportunityId,
    bool Created,
    bool EnteredStage,
    string? Stage,
    decimal? Amount,
    string? OwnerId,
    string? OwnerManagerId);
