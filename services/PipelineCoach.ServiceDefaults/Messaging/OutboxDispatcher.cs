using System.Diagnostics;
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
/// Publishes committed outbox rows. Each round claims rows with <c>FOR UPDATE SKIP LOCKED</c> (so loops and instances
/// share the work without double-sending), publishes with RabbitMQ publisher confirms, and marks them dispatched in
/// the same transaction. A crash between publish and commit re-sends: consumers are idempotent on MessageId. A row
/// that keeps failing on its own is parked after <see cref="OutboxOptions.MaxAttempts"/> and never holds up the rest.
/// </summary>
public sealed partial class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    IBus bus,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider timeProvider,
    ServiceInfo service,
    ILogger<OutboxDispatcher> logger,
    OutboxMetrics metrics,
    ParkedOutbox parkedOutbox) : BackgroundService
{
    public const string ActivitySourceName = "PipelineCoach.Outbox";

    private static readonly ActivitySource PublishActivities = new(ActivitySourceName);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Dispatchers)
            .Select(_ => Task.Run(() => DispatchLoopAsync(stoppingToken), stoppingToken))
            .Append(Task.Run(() => CountParkedLoopAsync(stoppingToken), stoppingToken)));

    private async Task DispatchLoopAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        // While a backlog drains, each round starts after the last row this loop claimed, so it does not step over the
        // index entries of rows already dispatched (they stay until vacuum and would be re-read every round). A round
        // that finds fewer than a full batch of messages starts from the beginning again, which picks up any row
        // committed late with a lower id, and any row another loop left.
        long after = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var round = await DispatchRoundAsync(after, stoppingToken);
                if (round.BrokerFailure is not null)
                {
                    throw new OutboxBrokerException(round.BrokerFailure);
                }

                failures = 0;
                after = round.Full ? round.LastId : 0;
                if (round.Full)
                {
                    // A backlog: wake a sibling loop (a commit's wake-up reaches only one) so every loop drains it.
                    signal.Notify();
                }
                else
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
                metrics.RoundFailed();
                LogDispatchFailed(logger, ex, failures);
                var backoff = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 7))));
                await Task.Delay(backoff, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Dispatches one round of ready rows with ids above <paramref name="after"/>: whole rows, up to about
    /// <c>BatchSize</c> messages (a batch row counts as its messages; the first row is always taken).
    /// </summary>
    private async Task<Round> DispatchRoundAsync(long after, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // SKIP LOCKED in the claiming CTE itself: a second loop (or instance) passes over the rows this one holds and
        // claims the next ones, instead of finding the same locked head and nothing else. Rows locked here beyond the
        // round's message budget are released at commit, unpublished, for the next round.
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            """
            WITH claimed AS (
                SELECT id, message_count
                FROM outbox_messages
                WHERE dispatched_at IS NULL AND parked_at IS NULL AND id > @after
                ORDER BY id
                LIMIT @batchSize
                FOR UPDATE SKIP LOCKED),
            counted AS (
                SELECT id, sum(message_count) OVER (ORDER BY id) - message_count AS messages_before FROM claimed)
            SELECT o.id AS Id, o.message_id AS MessageId, o.message_type AS MessageType, o.body AS Body,
                   o.message_ids AS MessageIds, o.attempts AS Attempts, o.headers::text AS Headers
            FROM outbox_messages o
            JOIN counted c ON c.id = o.id
            WHERE c.messages_before < @batchSize
            ORDER BY o.id
            """,
            new { batchSize = options.Value.BatchSize, after },
            transaction,
            cancellationToken: cancellationToken))).AsList();

        if (rows.Count == 0)
        {
            return new Round(0, after, Full: false, BrokerFailure: null);
        }

        var claimedMessages = rows.Sum(r => r.MessageIds?.Length ?? 1);
        var progress = new PublishProgress();

        // Publishing concurrently keeps the confirms pipelined; per-record order is protected downstream by
        // version checks, never by delivery order (see docs/architecture.md). A publish that never completes (a blocked
        // connection, a lost confirm) must not hold the claimed rows' locks forever: the round has a deadline.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.RoundTimeout);
        var outcomes = await Task.WhenAll(rows.Select(row => PublishRowAsync(row, progress, deadline.Token, cancellationToken)));

        var sent = new List<long>(rows.Count);
        var published = 0;
        Exception? brokerFailure = null;
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, outcome) = (rows[i], outcomes[i]);
            if (outcome.Error is null)
            {
                sent.Add(row.Id);
                published += row.MessageIds?.Length ?? 1;
                continue;
            }

            // A row's own fault (no such contract, a body that does not deserialise, a message the broker or the
            // serializer rejects) counts against it. A transport failure (connection or channel lost, no confirm, the
            // round's deadline) is no row's fault: it counts against none, and a round that published nothing because
            // of one backs off.
            var counts = outcome.OwnFault;
            if (!counts && !progress.Any)
            {
                brokerFailure ??= outcome.Error;
            }

            var parked = await RecordFailureAsync(connection, transaction, row, outcome.Error, counts, cancellationToken);
            if (parked)
            {
                metrics.Parked(row.MessageIds?.Length ?? 1);
                LogParked(logger, row.Id, row.MessageType, row.Attempts + 1, outcome.Error.Message);
            }
            else if (counts)
            {
                LogRowFailed(logger, outcome.Error, row.Id, row.MessageType, row.Attempts + 1, options.Value.MaxAttempts);
            }
        }

        if (sent.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE outbox_messages SET dispatched_at = now(), attempts = attempts + 1 WHERE id = ANY(@ids)",
                new { ids = sent },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        metrics.Published(published);
        return new Round(published, rows[^1].Id, Full: claimedMessages >= options.Value.BatchSize, brokerFailure);
    }

    /// <summary>Records a failed attempt; parks the row when it has used up its attempts. Returns true when it parked.</summary>
    private async Task<bool> RecordFailureAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxRow row, Exception error, bool counts, CancellationToken cancellationToken)
    {
        var message = Truncate(error.Message, 2_000);
        if (!counts)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE outbox_messages SET last_error = @message WHERE id = @id",
                new { id = row.Id, message }, transaction, cancellationToken: cancellationToken));
            return false;
        }

        metrics.Failed(row.MessageIds?.Length ?? 1);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            UPDATE outbox_messages
            SET attempts = attempts + 1, last_error = @message,
                parked_at = CASE WHEN attempts + 1 >= @maxAttempts THEN now() END
            WHERE id = @id
            RETURNING parked_at IS NOT NULL
            """,
            new { id = row.Id, message, maxAttempts = options.Value.MaxAttempts }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Publishes every message of a row. A batch row whose array does not deserialise as a whole is taken apart:
    /// its good messages are still published and the row fails on the first bad one (re-sent whole later, the repeats
    /// are dropped by MessageId).
    /// </summary>
    private async Task<RowOutcome> PublishRowAsync(OutboxRow row, PublishProgress progress, CancellationToken deadline, CancellationToken stoppingToken)
    {
        List<(object Message, Guid Id)> messages;
        Exception? ownFault = null;
        Type type;
        try
        {
            type = MessageSerializer.ResolveType(row.MessageType);
            messages = Deserialize(row, type, out ownFault);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new RowOutcome(ex, OwnFault: true);
        }

        var headers = ParseHeaders(row);
        using var activity = StartPublishActivity(headers, row.MessageType);
        try
        {
            await Task.WhenAll(messages.Select(m => PublishAsync(m.Message, type, m.Id, headers, progress, deadline)));
        }
        catch (OperationCanceledException ex) when (!stoppingToken.IsCancellationRequested)
        {
            return new RowOutcome(new TimeoutException($"Publishing outbox row {row.Id} did not complete within {options.Value.RoundTimeout}.", ex), OwnFault: false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new RowOutcome(ex, OwnFault: !IsTransportFailure(ex));
        }

        return ownFault is null ? RowOutcome.Published : new RowOutcome(ownFault, OwnFault: true);
    }

    /// <summary>Headers are for tracing only: a row whose headers do not parse is still published, without them.</summary>
    private OutboxHeaders? ParseHeaders(OutboxRow row)
    {
        try
        {
            return OutboxHeaders.Parse(row.Headers);
        }
        catch (JsonException ex)
        {
            LogBadHeaders(logger, ex, row.Id);
            return null;
        }
    }

    /// <summary>
    /// Whether a publish failed for the broker connection's sake rather than the message's: RabbitMQ client errors
    /// (connection or channel closed, unreachable), a missing confirm, socket and I/O errors, timeouts.
    /// </summary>
    internal static bool IsTransportFailure(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is AggregateException aggregate && aggregate.InnerExceptions.Any(IsTransportFailure))
            {
                return true;
            }

            var type = ex.GetType();
            if (ex is TimeoutException or IOException or System.Net.Sockets.SocketException
                || type.Namespace?.StartsWith("RabbitMQ.Client", StringComparison.Ordinal) == true
                || type.Name is "MessageNotConfirmedException" or "RabbitMqConnectionException" or "ConnectionException"
                    or "TransportUnavailableException" or "MessageNotAcknowledgedException")
            {
                return true;
            }
        }

        return false;
    }

    private static List<(object Message, Guid Id)> Deserialize(OutboxRow row, Type type, out Exception? fault)
    {
        fault = null;
        if (row.MessageIds is null)
        {
            var message = JsonSerializer.Deserialize(row.Body, type, MessageSerializer.Options)
                ?? throw new InvalidOperationException($"Outbox message {row.MessageId} has an empty body.");
            return [(message, row.MessageId)];
        }

        Array? all = null;
        try
        {
            all = JsonSerializer.Deserialize(row.Body, type.MakeArrayType(), MessageSerializer.Options) as Array;
        }
        catch (JsonException)
        {
            // Taken apart below.
        }

        if (all is not null)
        {
            if (all.Length != row.MessageIds.Length)
            {
                throw new InvalidOperationException($"Outbox row {row.Id} holds {all.Length} messages for {row.MessageIds.Length} message ids.");
            }

            var whole = new List<(object, Guid)>(all.Length);
            for (var i = 0; i < all.Length; i++)
            {
                whole.Add((all.GetValue(i)!, row.MessageIds[i]));
            }

            return whole;
        }

        using var document = JsonDocument.Parse(row.Body);
        var elements = document.RootElement.EnumerateArray().ToList();
        if (elements.Count != row.MessageIds.Length)
        {
            throw new InvalidOperationException($"Outbox row {row.Id} holds {elements.Count} messages for {row.MessageIds.Length} message ids.");
        }

        var good = new List<(object, Guid)>(elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            try
            {
                good.Add((elements[i].Deserialize(type, MessageSerializer.Options)
                    ?? throw new JsonException("the message is null"), row.MessageIds[i]));
            }
            catch (JsonException ex)
            {
                fault ??= new InvalidOperationException($"Message {row.MessageIds[i]} (#{i + 1} of outbox row {row.Id}) does not deserialise as {type.Name}: {ex.Message}", ex);
            }
        }

        return good;
    }

    private async Task PublishAsync(object message, Type type, Guid messageId, OutboxHeaders? headers, PublishProgress progress, CancellationToken cancellationToken)
    {
        await bus.Publish(message, type, Pipe.Execute<PublishContext>(context =>
        {
            context.MessageId = messageId;
            if (headers is null)
            {
                return;
            }

            context.ConversationId = headers.ConversationId ?? context.ConversationId;
            context.CorrelationId = headers.CorrelationId ?? context.CorrelationId;
            // MassTransit injects its own send activity's context when tracing is on; without a listener it sends none,
            // so the restored context goes on the message as it was.
            if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } current)
            {
                context.Headers.Set("traceparent", current.Id);
                if (current.TraceStateString is { Length: > 0 } state)
                {
                    context.Headers.Set("tracestate", state);
                }
            }
        }), cancellationToken);
        progress.Any = true;
    }

    /// <summary>Continues the writer's trace: a child of the stored traceparent, current while the row is published.</summary>
    private static Activity? StartPublishActivity(OutboxHeaders? headers, string messageType)
    {
        if (headers?.TraceParent is not { } parent)
        {
            return null;
        }

        var activity = PublishActivities.CreateActivity("outbox publish", ActivityKind.Producer, parent)
            ?? new Activity("outbox publish").SetParentId(parent);
        activity.TraceStateString = headers.TraceState;
        activity.SetTag("messaging.message.type", messageType);
        return activity.Start();
    }

    private async Task CountParkedLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                metrics.SetParkedCount(await parkedOutbox.CountMessagesAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogParkedCountFailed(logger, ex, service.Name);
            }

            await Task.Delay(options.Value.ParkedCountInterval, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private readonly record struct Round(int Published, long LastId, bool Full, Exception? BrokerFailure);

    private readonly record struct RowOutcome(Exception? Error, bool OwnFault)
    {
        public static readonly RowOutcome Published = new(null, false);
    }

    /// <summary>Whether the broker confirmed any publish this round (set from concurrent publishes: only ever to true).</summary>
    private sealed class PublishProgress
    {
        public volatile bool Any;
    }

    // Properties, not a positional record: Dapper maps a uuid[] column to a property but not to a constructor argument.
    private sealed class OutboxRow
    {
        public long Id { get; init; }
        public Guid MessageId { get; init; }
        public string MessageType { get; init; } = "";
        public string Body { get; init; } = "";
        public Guid[]? MessageIds { get; init; }
        public int Attempts { get; init; }
        public string? Headers { get; init; }
    }

    private sealed class OutboxBrokerException(Exception inner)
        : Exception("Nothing could be published this round; the broker looks unavailable.", inner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch failed ({Failures} in a row); retrying with backoff")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox row {RowId} ({MessageType}) failed attempt {Attempt} of {MaxAttempts}")]
    private static partial void LogRowFailed(ILogger logger, Exception exception, long rowId, string messageType, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox row {RowId} ({MessageType}) parked after {Attempts} attempts: {LastError}. List and requeue it with GET /api/v1/admin/outbox/parked or the `outbox` command")]
    private static partial void LogParked(ILogger logger, long rowId, string messageType, int attempts, string lastError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox row {RowId} has headers that do not parse; publishing it without its trace context")]
    private static partial void LogBadHeaders(ILogger logger, Exception exception, long rowId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting parked outbox messages of {Service} failed")]
    private static partial void LogParkedCountFailed(ILogger logger, Exception exception, string service);
}
