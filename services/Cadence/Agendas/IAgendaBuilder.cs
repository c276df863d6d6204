using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>
/// Builds the agendas of a batch of occurrences that are coming due, from live data. Called with no transaction open
/// (a claim is a lease), so it may call other services; the result is stored with the occurrence as its snapshot.
/// </summary>
public interface IAgendaBuilder
{
    /// <summary>Each occurrence's agenda sections, keyed by occurrence id; an occurrence left out gets an empty agenda.</summary>
    Task<IReadOnlyDictionary<Guid, IReadOnlyList<AgendaSection>>> BuildAsync(IReadOnlyList<FiringOccurrence> occurrences, CancellationToken cancellationToken);
}

/// <summary>An occurrence whose agenda is being built: who holds it, who takes part, and for event-driven ones the deal.</summary>
public sealed record FiringOccurrence(
    Guid Id,
    Guid CadenceId,
    string Kind,
    string AssigneeId,
    IReadOnlyList<string> ParticipantIds,
    string? OpportunityId,
    DateTimeOffset ScheduledAt,
    string TimeZone);
