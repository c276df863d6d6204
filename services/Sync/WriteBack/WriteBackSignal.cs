namespace PipelineCoach.Sync.WriteBack;

/// <summary>Wakes the write-back loop when new scores are queued.</summary>
public sealed class WriteBackSignal : PipelineCoach.ServiceDefaults.Messaging.WakeSignal;
