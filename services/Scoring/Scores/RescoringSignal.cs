namespace PipelineCoach.Scoring.Scores;

/// <summary>Wakes this instance's rescoring worker when an activation queues a job here.</summary>
internal sealed class RescoringSignal : PipelineCoach.ServiceDefaults.Messaging.WakeSignal;
