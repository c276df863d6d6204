using Dapper;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>Inbox markers: one row per (consumer, message id) processed, written in the consumer's transaction.</summary>
internal static class InboxStore
{
    public static async Task<bool> TryAddAsync(UnitOfWork work, string consumer, Guid messageId, CancellationToken cancellationToken)
    {
        var inserted = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO inbox_messages (consumer, message_id) VALUES (@consumer, @messageId)
            ON CONFLICT DO NOTHING
            """,
            new { consumer, messageId },
            work.Transaction,
            cancellationToken: cancellationToken));
        return inserted == 1;
    }
}
