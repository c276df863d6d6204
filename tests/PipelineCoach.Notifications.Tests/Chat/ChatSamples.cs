using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Deliveries;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>The notice the documented examples (docs/notifications/*-risk.json) are rendered from.</summary>
internal static class ChatSamples
{
    public static Notice Risk => new()
    {
        Signal = "opportunity-risk",
        BusinessKey = "opportunity-risk:006000000000001AAA:2026-11-25",
        Title = "Acme renewal is at risk: slipping",
        Summary = "The close date moved out for the third time & no meeting is booked in the next 14 days.",
        OpportunityId = "006000000000001AAA",
        OpportunityName = "Acme renewal",
        Amount = 120000m,
        OwnerName = "Rita Rep",
        OccurredAt = new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero),
        Sections =
        [
            new NoticeSection
            {
                Title = "What changed",
                OpportunityId = "006000000000001AAA",
                Lines =
                [
                    new NoticeLine { Text = "Close date pushed out a third time (Dec 15 → Jan 31)" },
                    new NoticeLine { Text = "No activity with the economic buyer in 21 days" },
                    new NoticeLine { Text = "Grade dropped from B to D" },
                ],
            },
            new NoticeSection
            {
                Title = "Suggested next steps",
                Lines =
                [
                    new NoticeLine { Text = "Book a call with the <economic buyer> before Friday" },
                    new NoticeLine { Text = "Confirm the renewal budget with procurement" },
                ],
            },
        ],
    };

    /// <summary>One attempt of <paramref name="notice"/> to a chat destination.</summary>
    public static OutgoingMessage To(Guid destinationId, string channel, Notice? notice = null) => new()
    {
        DeliveryId = Guid.NewGuid(),
        BusinessKey = (notice ?? Risk).BusinessKey,
        Channel = channel,
        TargetId = destinationId,
        Attempt = 1,
        Notice = notice ?? Risk,
    };
}
