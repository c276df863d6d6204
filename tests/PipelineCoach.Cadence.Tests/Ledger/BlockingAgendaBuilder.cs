using PipelineCoach.Cadence.Agendas;
using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Tests.Ledger;

/// <summary>An agenda builder that never finishes: the instance using it holds its claims until it is killed.</summary>
internal sealed class BlockingAgendaBuilder : IAgendaBuilder
{
    private readonly TaskCompletionSource<int> _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many occurrences the first blocked round holds.</summary>
    public Task<int> Entered => _entered.Task;

    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<AgendaSection>>> BuildAsync(IReadOnlyList<FiringOccurrence> occurrences, CancellationToken cancellationToken)
    {
        _entered.TrySetResult(occurrences.Count);
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}
