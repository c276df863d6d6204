using System.Text;
using PipelineCoach.Contracts.Notifications;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Notifications.Channels.SalesforceTasks;

/// <summary>
/// A Salesforce Task for the recipient on the deal, through CRM sync (<see cref="SalesforceTaskRequested"/> in the
/// outbox). The delivery id is the request id, so a resend after a restart never creates a second task.
/// </summary>
internal sealed class SalesforceTaskSender(UnitOfWorkFactory unitOfWork, TimeProvider timeProvider) : IChannelSender
{
    public string Channel => ChannelNames.SalesforceTask;

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var notice = message.Notice;
        if (notice.OpportunityId is null)
        {
            return SendOutcome.Refused("a Salesforce Task needs an opportunity to attach to; this notice is about none");
        }

        if (message.RecipientId is null)
        {
            return SendOutcome.Refused("a Salesforce Task needs an owner; this delivery has no recipient");
        }

        var description = new StringBuilder(notice.Summary);
        foreach (var section in notice.Sections)
        {
            description.Append("\n\n").Append(section.Title);
            foreach (var line in section.Lines)
            {
                description.Append("\n- ").Append(line.Text);
            }
        }

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        await work.PublishAsync(new SalesforceTaskRequested
        {
            RequestId = message.DeliveryId.ToString(),
            WhatId = notice.OpportunityId,
            OwnerId = message.RecipientId,
            Subject = notice.Title.Length <= 255 ? notice.Title : notice.Title[..254] + "…",
            ActivityDate = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime),
            Description = description.Length <= 32_000 ? description.ToString() : description.ToString(0, 32_000),
        }, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return SendOutcome.Sent();
    }
}
