namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>
/// Wakes this instance's outbox dispatcher right after a commit that added outbox rows. <see cref="Data.UnitOfWork"/>
/// raises it itself on every write path; other instances' rows are found by the dispatcher's poll.
/// </summary>
public sealed class OutboxSignal : WakeSignal;
