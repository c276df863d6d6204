namespace PipelineCoach.Notifications.Routing;

/// <summary>Who was chosen for a delivery and why, as the hierarchy and preferences stood at that moment.</summary>
public sealed record Resolution
{
    /// <summary>The rule that chose the recipient, e.g. <c>owner</c>, <c>manager of the owner</c>, <c>subscriber (team of 005…)</c>.</summary>
    public required string Why { get; init; }

    /// <summary>The management chain consulted, from the person the signal is about upward (ids).</summary>
    public IReadOnlyList<string> Chain { get; init; } = [];

    /// <summary>What was decided: <c>send now</c>, or why it is held and until when.</summary>
    public required string Decision { get; init; }

    /// <summary>The recipient's time zone used for quiet hours, digests and budget.</summary>
    public string? TimeZone { get; init; }
}
