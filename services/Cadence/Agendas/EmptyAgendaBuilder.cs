using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>Placeholder until the agenda builder lands: every occurrence gets an empty agenda.</summary>
internal sealed class EmptyAgendaBuilder : IAgendaBuilder
{
    public Task<IReadOnlyDictionary<Guid, IReadOnlyList<AgendaSection>>> BuildAsync(IReadOnlyList<FiringOccurrence> occurrences, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<Guid, IReadOnlyList<AgendaSection>>>(new Dictionary<Guid, IReadOnlyList<AgendaSection>>());
}
