using System.Text.Json;
using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.Deliveries;

/// <summary>A delivery as the API shows it: what, to whom, where it stands, and who chose the recipient and why.</summary>
public sealed record DeliveryView(
    Guid Id,
    string BusinessKey,
    string Signal,
    string Channel,
    string? RecipientId,
    Guid? TargetId,
    string? OpportunityId,
    string Status,
    string? HoldReason,
    DateTimeOffset? HeldUntil,
    Guid? DigestId,
    int Attempts,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt,
    Resolution Resolution,
    string Title);

internal sealed class DeliveryRow
{
    public const string Columns = """
        id AS Id, business_key AS BusinessKey, signal AS Signal, channel AS Channel, recipient_id AS RecipientId, target_id AS TargetId,
        opportunity_id AS OpportunityId, status AS Status, hold_reason AS HoldReason, held_until AS HeldUntil, digest_id AS DigestId,
        attempts AS Attempts, last_error AS LastError, next_attempt_at AS NextAttemptAt, created_at AS CreatedAt, sent_at AS SentAt,
        resolution::text AS Resolution, notice->>'title' AS Title
        """;

    public Guid Id { get; set; }

    public string BusinessKey { get; set; } = "";

    public string Signal { get; set; } = "";

    public string Channel { get; set; } = "";

    public string? RecipientId { get; set; }

    public Guid? TargetId { get; set; }

    public string? OpportunityId { get; set; }

    public string Status { get; set; } = "";

    public string? HoldReason { get; set; }

    public DateTime? HeldUntil { get; set; }

    public Guid? DigestId { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTime? NextAttemptAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? SentAt { get; set; }

    public string Resolution { get; set; } = "{}";

    public string Title { get; set; } = "";

    public DeliveryView ToView() => new(Id, BusinessKey, Signal, Channel, RecipientId?.Trim(), TargetId, OpportunityId?.Trim(), Status, HoldReason,
        Utc(HeldUntil), DigestId, Attempts, LastError, Status == "queued" ? Utc(NextAttemptAt) : null, new DateTimeOffset(CreatedAt, TimeSpan.Zero), Utc(SentAt),
        JsonSerializer.Deserialize<Resolution>(Resolution, NotificationsJson.Options)!, Title);

    private static DateTimeOffset? Utc(DateTime? at) => at is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
}
