using Dapper;
using MassTransit;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Scoring.Users;

/// <summary>Keeps users and the manager hierarchy (who is on whose team) for pipeline health; idempotent and version-checked.</summary>
internal sealed class UserChangedConsumer(UnitOfWorkFactory unitOfWork) : IConsumer<UserChanged>
{
    public async Task Consume(ConsumeContext<UserChanged> context)
    {
        var message = context.Message;
        await using var work = await unitOfWork.BeginAsync(context.CancellationToken);
        if (!await work.TryMarkConsumedAsync(nameof(UserChangedConsumer), context.MessageId!.Value, context.CancellationToken))
        {
            return;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO users (id, name, manager_id, is_active, source_version)
            VALUES (@UserId, @Name, @ManagerId, @IsActive, @sourceVersion)
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, manager_id = EXCLUDED.manager_id,
                is_active = EXCLUDED.is_active, source_version = EXCLUDED.source_version
            WHERE {SourceVersionRule.Sql("users.source_version", "EXCLUDED.source_version")}
            """,
            new { message.UserId, message.Name, message.ManagerId, message.IsActive, sourceVersion = message.SourceVersion.ToUniversalTime() },
            work.Transaction, cancellationToken: context.CancellationToken));
        await work.CommitAsync(context.CancellationToken);
    }
}
