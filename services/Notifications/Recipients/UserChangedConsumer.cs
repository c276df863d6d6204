using Dapper;
using MassTransit;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Notifications.Recipients;

/// <summary>Keeps the recipient directory (who manages whom, which time zone) from <see cref="UserChanged"/>.</summary>
internal sealed class UserChangedConsumer(UnitOfWorkFactory unitOfWork) : IConsumer<UserChanged>
{
    public async Task Consume(ConsumeContext<UserChanged> context)
    {
        var user = context.Message;
        await using var work = await unitOfWork.BeginAsync(context.CancellationToken);
        if (!await work.TryMarkConsumedAsync(nameof(UserChangedConsumer), context.MessageId!.Value, context.CancellationToken))
        {
            return;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO recipients (user_id, name, email, manager_id, time_zone, is_active, source_version)
            VALUES (@UserId, @Name, @Email, @ManagerId, @TimeZone, @IsActive, @SourceVersion)
            ON CONFLICT (user_id) DO UPDATE SET
                name = EXCLUDED.name, email = EXCLUDED.email, manager_id = EXCLUDED.manager_id,
                time_zone = EXCLUDED.time_zone, is_active = EXCLUDED.is_active,
                source_version = EXCLUDED.source_version, updated_at = now()
            WHERE recipients.source_version <= EXCLUDED.source_version
            """,
            user,
            work.Transaction,
            cancellationToken: context.CancellationToken));
        await work.CommitAsync(context.CancellationToken);
    }
}
