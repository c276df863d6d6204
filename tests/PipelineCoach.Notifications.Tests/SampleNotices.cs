using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.Tests;

/// <summary>
/// The notices every channel's tests send, and the documented examples are rendered from: docs/notifications/email-*.html
/// and the Slack and Teams JSON there.
/// </summary>
internal static class SampleNotices
{
    public static readonly Notice Risk = new()
    {
        Signal = Signals.OpportunityRisk,
        BusinessKey = "opportunity-risk:0065g00000AcmeRAAV:2026-12-01",
        Title = "Acme renewal is at risk: slipping",
        Summary = "The close date moved out again and the deal has had no next step for two weeks.",
        OpportunityId = "0065g00000AcmeRAAV",
        OpportunityName = "Acme renewal",
        Amount = 120_000m,
        OwnerName = "Riley Rep",
        OccurredAt = new DateTimeOffset(2026, 12, 1, 14, 5, 0, TimeSpan.Zero),
        Sections =
        [
            new NoticeSection
            {
                Title = "What changed",
                OpportunityId = "0065g00000AcmeRAAV",
                Lines =
                [
                    new NoticeLine { Text = "Close date pushed out a third time, to 15 Jan 2027" },
                    new NoticeLine { Text = "No next step recorded for 14 days" },
                    new NoticeLine { Text = "Grade dropped from B to D" },
                ],
            },
            // As SignalRules adds it from OpportunityScored.MissingNow: Scoring's coaching prompts, one a line.
            new NoticeSection
            {
                Title = SignalRules.MissingNowTitle,
                OpportunityId = "0065g00000AcmeRAAV",
                Lines =
                [
                    new NoticeLine { Text = "What happens next, and when? Agree a dated next step with the customer." },
                    new NoticeLine { Text = "Who signs? No economic buyer is named yet." },
                ],
            },
        ],
    };

    public static readonly Notice Digest = new()
    {
        Signal = Signals.Digest,
        BusinessKey = "digest:0055g00000RileyAAA:email:2026-12-02T08:00",
        Title = "Your Pipeline Coach digest: 3 opportunities",
        Summary = "What changed since your last digest, the largest risks first.",
        OccurredAt = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero),
        Sections =
        [
            new NoticeSection
            {
                Title = "Globex expansion",
                OpportunityId = "0065g00000GlobxAAA",
                Lines =
                [
                    new NoticeLine { Text = "Discount of 25% asked, above the 15% guideline", OpportunityId = "0065g00000GlobxAAA", OpportunityName = "Globex expansion", Amount = 340_000m, OwnerName = "Riley Rep" },
                    new NoticeLine { Text = "Stage went back from Negotiation to Proposal", OpportunityId = "0065g00000GlobxAAA", OpportunityName = "Globex expansion", Amount = 340_000m, OwnerName = "Riley Rep" },
                ],
            },
            new NoticeSection
            {
                Title = "Acme renewal",
                OpportunityId = "0065g00000AcmeRAAV",
                Lines =
                [
                    new NoticeLine { Text = "No next step recorded for 14 days", OpportunityId = "0065g00000AcmeRAAV", OpportunityName = "Acme renewal", Amount = 120_000m, OwnerName = "Riley Rep" },
                ],
            },
            new NoticeSection
            {
                Title = "Opportunity 0065g00000InitAAA",
                OpportunityId = "0065g00000InitAAA",
                Lines =
                [
                    new NoticeLine { Text = "Arrived with no economic buyer identified", OpportunityId = "0065g00000InitAAA", Amount = 45_500m },
                ],
            },
        ],
    };

    /// <summary>An attempt of <paramref name="notice"/> (the risk unless given) to a chat destination or webhook endpoint, as the dispatcher hands it over.</summary>
    public static OutgoingMessage Attempt(string channel, Guid targetId, Notice? notice = null, Guid? deliveryId = null, int attempt = 1) => new()
    {
        DeliveryId = deliveryId ?? Guid.NewGuid(),
        BusinessKey = (notice ?? Risk).BusinessKey,
        Channel = channel,
        TargetId = targetId,
        Attempt = attempt,
        Notice = notice ?? Risk,
    };
}
