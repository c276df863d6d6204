namespace PipelineCoach.Sync.Status;

/// <summary>Change-event webhook traffic of the last hour.</summary>
public sealed record WebhookCounts(long ChangeEventDeliveriesLastHour, long ChangeEventsLastHour);
