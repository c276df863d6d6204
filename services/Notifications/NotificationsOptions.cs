using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.Notifications;

/// <summary>Routing, delivery and digest settings (section <c>Notifications</c>).</summary>
public sealed class NotificationsOptions
{
    public const string Section = "Notifications";

    /// <summary>
    /// Signals that break through quiet hours and the budget (still logged, still counted); <c>escalation</c> when not
    /// configured. Configuring the list replaces that default.
    /// </summary>
    public List<string>? CriticalSignals { get; set; }

    public bool IsCritical(string signal) => CriticalSignals is { } configured ? configured.Contains(signal) : signal == Routing.Signals.Escalation;

    /// <summary>Business hours a risk stays raised before it escalates a level (in the owner's zone).</summary>
    [Range(1, 1000)]
    public int EscalationBusinessHours { get; set; } = 24;

    /// <summary>The working day escalation counts in, local to the owner.</summary>
    public TimeOnly BusinessDayStart { get; set; } = new(9, 0);

    public TimeOnly BusinessDayEnd { get; set; } = new(17, 0);

    /// <summary>Held items of recipients without a digest preference roll up at this local time (end of the working day).</summary>
    public TimeOnly OverflowDigestAt { get; set; } = new(17, 0);

    /// <summary>A daily digest without <c>digestAt</c> goes at this local time.</summary>
    public TimeOnly DefaultDigestAt { get; set; } = new(8, 0);

    /// <summary>Deliveries claimed per dispatcher round.</summary>
    [Range(1, 10_000)]
    public int DispatchBatchSize { get; set; } = 200;

    /// <summary>Sends in flight at once per instance.</summary>
    [Range(1, 256)]
    public int SendConcurrency { get; set; } = 16;

    /// <summary>How long a claimed delivery, digest group or risk is this instance's before another may take it.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the dispatcher, digest composer and escalation scanner look for due work when not woken.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Readiness turns Degraded when a due delivery has waited longer than this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Consumer batch of OpportunityScored (routing many signals in one transaction).</summary>
    [Range(1, 1000)]
    public int ConsumerBatchSize { get; set; } = 100;

    [Range(1, 64)]
    public int ConsumerConcurrency { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan ConsumerBatchTimeLimit { get; set; } = TimeSpan.FromMilliseconds(50);
}
