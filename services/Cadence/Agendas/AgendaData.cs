namespace PipelineCoach.Cadence.Agendas;

/// <summary>What one batch of agendas is composed from, loaded set-based (one query per table per batch).</summary>
internal sealed record AgendaData
{
    /// <summary>User names by id (null name: the user is known but unnamed; missing: not heard of yet).</summary>
    public IReadOnlyDictionary<string, string?> UserNames { get; init; } = new Dictionary<string, string?>();

    /// <summary>The deals the batch's agendas may list, by opportunity id.</summary>
    public IReadOnlyDictionary<string, AgendaDeal> Deals { get; init; } = new Dictionary<string, AgendaDeal>();

    /// <summary>The raised flags of those deals.</summary>
    public ILookup<string, DealFlag> FlagsByDeal { get; init; } = Array.Empty<DealFlag>().ToLookup(f => f.OpportunityId);

    /// <summary>Pipeline health conditions by subject (rep or manager) id.</summary>
    public ILookup<string, LocalHealthCondition> ConditionsBySubject { get; init; } = Array.Empty<LocalHealthCondition>().ToLookup(c => c.SubjectId);

    /// <summary>When the previous occurrence of the same cadence fired, by occurrence id (absent for a first one).</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset> PreviousFiredAt { get; init; } = new Dictionary<Guid, DateTimeOffset>();
}
