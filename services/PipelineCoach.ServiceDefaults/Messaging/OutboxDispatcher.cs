using System.Diagnostics.Metrics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>
/// Publishes committed outbox rows. Each round claims a batch with <c>FOR UPDATE SKIP LOCKED</c> (so N instances
/// share the work without double-sending), publishes with RabbitMQ publisher confirms, and marks the rows
/// dispatched in the same transaction. A crash between publish and commit re-sends: consumers are idempotent on
/// MessageId, which is the outbox row's message id.
/// </summary>
public sealed partial class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    IBus bus,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxDispatcher> logger,
    IMeterFactory meterFactory) : BackgroundService
{
    private readonly Counter<long> _published = meterFactory.Create("PipelineCoach.Outbox").CreateCounter<long>("outbox.messages.published");
    private DateTimeOffset _nextCleanup = DateTimeOffset.MinValue;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Dispatchers).Select(_ => Task.Run(() => DispatchLoopAsync(stoppingToken), stoppingToken)));

    private async Task DispatchLoopAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        // While a backlog drains, each round starts after the last row this loop sent, so it does not step over the
        // index entries of rows already dispatched (they stay until vacuum and would be re-read every round). A round
        // that finds fewer than a full batch of messages starts from the beginning again, which picks up any row
        // committed late with a lower id.
        long after = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (published, lastId) = await DispatchBatchAsync(after, stoppingToken);
                await CleanupIfDueAsync(stoppingToken);
                failures = 0;
                var fullRound = published >= options.Value.BatchSize;
                after = fullRound ? lastId : 0;
                if (!fullRound)
                {
                    await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                after = 0;
                failures++;
                LogDispatchFailed(logger, ex, failures);
                var backoff = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 7))));
                await Task.Delay(backoff, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Dispatches one round of pending rows with ids above <paramref name="after"/>: whole rows, up to about
    /// <c>BatchSize</c> messages (a batch row counts as its messages; the first row is always taken). Returns how many
    /// messages were published and the last id seen.
    /// </summary>
    private async Task<(int Published, long LastId)> DispatchBatchAsync(long after, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            """
            WITH pending AS (
                SELECT id, message_count
                FROM outbox_messages
                WHERE dispatched_at IS NULL AND id > @after
                ORDER BY id
                LIMIT @batchSize),
            counted AS (
                SELECT id, sum(message_count) OVER (ORDER BY id) - message_count AS messages_before FROM pending)
            SELECT id AS Id, message_id AS MessageId, message_type AS MessageType, body AS Body, message_ids AS MessageIds
            FROM outbox_messages
            WHERE id IN (SELECT id FROM counted WHERE messages_before < @batchSize)
              AND dispatched_at IS NULL
            ORDER BY id
            FOR UPDATE SKIP LOCKED
            """,
            new { batchSize = options.Value.BatchSize, after },
            transaction,
            cancellationToken: cancellationToken))).AsList();

        if (rows.Count == 0)
        {
            return (0, after);
        }

        // Publishing concurrently keeps the confirms pipelined; per-record order is protected downstream by
        // version checks, never by delivery order (see docs/architecture.md).
        var results = await Task.WhenAll(rows.Select(row => PublishRowAsync(row, cancellationToken)));

        var sent = rows.Where((_, i) => results[i] is null).Select(r => r.Id).ToArray();
        var failed = rows.Select((row, i) => (row, error: results[i])).Where(x => x.error is not null).ToArray();

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox_messages SET dispatched_at = now(), attempts = attempts + 1 WHERE id IN (SELECT unnest(@ids))",
            new { ids = sent },
            transaction,
            cancellationToken: cancellationToken));

        foreach (var (row, error) in failed)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE outbox_messages SET attempts = attempts + 1, last_error = @error WHERE id = @id",
                new { id = row.Id, error = error!.Message },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        var published = rows.Where((_, i) => results[i] is null).Sum(r => r.MessageIds?.Length ?? 1);
        _published.Add(published);

        if (failed.Length > 0)
        {
            throw new InvalidOperationException(
                $"{failed.Length} of {rows.Count} outbox rows could not be published; they stay pending.", failed[0].error);
        }

        return (published, rows[^1].Id);
    }

    /// <summary>
    /// Publishes every message of a row; returns the first failure, if any. A batch row that fails in part stays
    /// pending and is sent again whole: consumers drop the repeats by MessageId.
    /// </summary>
    private async Task<Exception?> PublishRowAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        try
        {
            var type = MessageSerializer.ResolveType(row.MessageType);
            if (row.MessageIds is null)
            {
                var message = JsonSerializer.Deserialize(row.Body, type, MessageSerializer.Options)
                    ?? throw new InvalidOperationException($"Outbox message {row.MessageId} has an empty body.");
                await PublishAsync(message, type, row.MessageId, cancellationToken);
                return null;
            }

            var messages = JsonSerializer.Deserialize(row.Body, type.MakeArrayType(), MessageSerializer.Options) as Array;
            if (messages is null || messages.Length != row.MessageIds.Length)
            {
                throw new InvalidOperationException(
                    $"Outbox row {row.Id} holds {messages?.Length ?? 0} messages for {row.MessageIds.Length} message ids.");
            }

            await Task.WhenAll(row.MessageIds.Select((id, i) => PublishAsync(messages.GetValue(i)!, type, id, cancellationToken)));
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ex;
        }
    }

    private Task PublishAsync(object message, Type type, Guid messageId, CancellationToken cancellationToken) =>
        bus.Publish(message, type, Pipe.Execute<PublishContext>(context => context.MessageId = messageId), cancellationToken);

    private async Task CleanupIfDueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (now < _nextCleanup)
        {
            return;
        }

        _nextCleanup = now + options.Value.CleanupInterval;
        var before = now - options.Value.Retention;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var outbox = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM outbox_messages WHERE dispatched_at < @before", new { before }, cancellationToken: cancellationToken));
        var inbox = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM inbox_messages WHERE received_at < @before", new { before }, cancellationToken: cancellationToken));
        if (outbox + inbox > 0)
        {
            LogCleanedUp(logger, outbox, inbox);
        }
    }

    // Properties, not a positional record: Dapper maps a uuid[] column to a property but not to a constructor argument.
    private sealed class OutboxRow
    {
        public long Id { get; init; }
        public Guid MessageId { get; init; }
        public string MessageType { get; init; } = "";
        public string Body { get; init; } = "";
        public Guid[]? MessageIds { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch failed ({Failures} in a row); retrying with backoff")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox clean-up removed {OutboxRows} dispatched and {InboxRows} inbox rows")]
    private static partial void LogCleanedUp(ILogger logger, int outboxRows, int inboxRows);
}
