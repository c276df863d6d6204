using Dapper;
using MassTransit;
using PipelineCoach.Cadence.Ledger;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Cadence.Users;

/// <summary>
/// Keeps users, managers and time zones (teams resolve from here at fire time). When a user's time zone changes, the
/// cadences that follow that user's zone (<c>"assignee"</c>) are re-planned: their future slots that nobody has claimed
/// are removed and the horizon is materialised again in the new zone.
/// </summary>
internal sealed class UserChangedConsumer(UnitOfWorkFactory unitOfWork, LedgerSignal signal, TimeProvider timeProvider) : IConsumer<UserChanged>
{
    public async Task Consume(ConsumeContext<UserChanged> context)
    {
        var user = context.Message;
        var cancellationToken = context.CancellationToken;
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (!await work.TryMarkConsumedAsync(nameof(UserChangedConsumer), context.MessageId!.Value, cancellationToken))
        {
            return;
        }

        var previousZone = await work.Connection.QuerySingleOrDefaultAsync<(string? TimeZone, bool Exists)>(new CommandDefinition(
            "SELECT time_zone, true FROM users WHERE user_id = @UserId FOR UPDATE", user, work.Transaction, cancellationToken: cancellationToken));
        var updated = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (user_id, name, email, manager_id, time_zone, is_active, source_version)
            VALUES (@UserId, @Name, @Email, @ManagerId, @TimeZone, @IsActive, @SourceVersion)
            ON CONFLICT (user_id) DO UPDATE SET
                name = EXCLUDED.name, email = EXCLUDED.email, manager_id = EXCLUDED.manager_id,
                time_zone = EXCLUDED.time_zone, is_active = EXCLUDED.is_active, source_version = EXCLUDED.source_version
            WHERE users.source_version <= EXCLUDED.source_version
            """,
            new { user.UserId, user.Name, user.Email, user.ManagerId, user.TimeZone, user.IsActive, SourceVersion = user.SourceVersion.UtcDateTime },
            work.Transaction, cancellationToken: cancellationToken));

        var zoneChanged = updated > 0 && previousZone.TimeZone != user.TimeZone;
        if (zoneChanged)
        {
            // Two statements, not one: the UPDATE may wait for a materializer holding the cadence row, and the DELETE must
            // then see the slots that materializer committed in the old zone (a single statement keeps its first snapshot).
            var following = (await work.Connection.QueryAsync<Guid>(new CommandDefinition(
                """
                UPDATE cadences SET materialized_until = NULL
                WHERE target_id = @UserId AND deleted_at IS NULL AND is_recurring
                  AND definition -> 'schedule' ->> 'timeZone' = 'assignee'
                RETURNING id
                """, user, work.Transaction, cancellationToken: cancellationToken))).ToArray();
            await work.Connection.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM occurrences
                WHERE cadence_id = ANY(@following) AND status = 'scheduled' AND scheduled_at > @now
                  AND (claimed_by IS NULL OR lease_until < @now)
                """,
                new { following, now = timeProvider.GetUtcNow().UtcDateTime }, work.Transaction, cancellationToken: cancellationToken));
        }

        await work.CommitAsync(cancellationToken);
        if (zoneChanged)
        {
            // Re-planned cadences, and cadences that waited for this zone, materialise now.
            signal.CadenceChanged();
        }
    }
}
