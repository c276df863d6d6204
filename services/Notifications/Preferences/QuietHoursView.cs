namespace PipelineCoach.Notifications.Preferences;

/// <summary>Quiet hours as the API shows them: local <c>HH:mm</c> times.</summary>
public sealed record QuietHoursView(string Start, string End);
