using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>Outbound webhook settings (section <c>Notifications:Webhooks</c>).</summary>
public sealed class WebhookChannelOptions
{
    public const string Section = "Notifications:Webhooks";

    /// <summary>
    /// Allows loopback and private-range targets (10/8, 172.16/12, 192.168/16, 127/8, 100.64/10, 0/8, ::1, fc00::/7).
    /// Local mode sets it so receivers on 127.0.0.1 work. Link-local and cloud-metadata addresses stay refused.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>How long the previous secret keeps signing after a rotation, so receivers can switch over.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An endpoint that has failed every attempt for longer than this is disabled (Svix: about 5 days).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>
    /// How long one attempt may take before it counts as failed (Standard Webhooks: a 2xx within about 15 s); at most
    /// the outbound client's own 15 s timeout.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:15")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
