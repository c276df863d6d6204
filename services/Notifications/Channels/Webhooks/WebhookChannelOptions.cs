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
}
