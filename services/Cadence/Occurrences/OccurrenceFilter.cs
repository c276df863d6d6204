namespace PipelineCoach.Cadence.Occurrences;

/// <summary>What <c>GET /api/v1/occurrences</c> asks for, parsed: scheduled in [<see cref="From"/>, <see cref="To"/>), after <see cref="After"/>.</summary>
internal sealed record OccurrenceFilter(
    string? AssigneeId,
    Guid? CadenceId,
    string? OpportunityId,
    string? Status,
    DateTimeOffset? From,
    DateTimeOffset? To,
    OccurrenceCursor? After,
    int Take);
