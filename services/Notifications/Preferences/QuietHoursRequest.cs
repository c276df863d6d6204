namespace PipelineCoach.Notifications.Preferences;

/// <summary>Quiet hours as put: local <c>HH:mm</c> times, both required.</summary>
public sealed record QuietHoursRequest(string? Start, string? End);
