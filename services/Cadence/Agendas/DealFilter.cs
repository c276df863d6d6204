namespace PipelineCoach.Cadence.Agendas;

/// <summary>Which deals one batch of agendas reads (see <see cref="AgendaQueries.DealsAsync"/>).</summary>
internal sealed record DealFilter(
    string[] DealIds,
    string[] HuddleOwners,
    DateOnly[] HuddleDays,
    DateTime FlagsSince,
    string[] ReviewOwners,
    string[] EarlyStages,
    string[] ReviewFlags);
