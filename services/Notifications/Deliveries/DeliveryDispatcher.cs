using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.Contracts.Notifications;
using PipelineCoach.Notifications.Channels;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Notifications.Deliveries;

/// <summary>
/// Sends queued deliveries whose time has come, across any number of instances: a round leases a batch
/// (<see cref="LeaseClaim"/>), sends with no transaction open, then records every outcome in one transaction that
/// checks the lease is still this instance's, with <see cref="NotificationDelivered"/> in the outbox. A failure waits
/// on its channel's <see cref="RetryLadder"/> (at least as long as a 429 asked); the last failure leaves it
/// <c>failed</c>. An instance killed mid-round loses nothing: the lease runs out and another instance sends; the
/// channel sees the same delivery id (Message-Id, <c>webhook-id</c>, task request id) and can tell it is the same.
/// </summary>
internal sealed partial class DeliveryDispatcher(
    NpgsqlDataSource dataSource,
    UnitOfWorkFactory unitOfWork,
    IEnumerable<IChannelSender> senders,
    DeliveryWake wake,
    DeliveryMetrics metrics,
    IOptions<NotificationsOptions> options,
    TimeProvider timeProvider,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    private static readonly LeaseClaim Due = new(
        Table: "deliveries",
        Key: "id",
        Due: "status = 'queued' AND next_attempt_at <= @now",
        OrderBy: "next_attempt_at",
        Select: """
            id AS Id, business_key AS BusinessKey, channel AS Channel, recipient_id AS RecipientId, target_id AS TargetId,
            attempts AS Attempts, notice::text AS Notice
            """);

    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Channel);
    private long? _backlogMeasuredAt;

    public string InstanceId { get; } = LeaseClaim.NewClaimerId();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await DispatchAsync(stoppingToken) == options.Value.DispatchBatchSize;
                await MeasureBacklogAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(ex);
            }

            if (!busy)
            {
                await wake.Dispatch.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>One round; returns how many deliveries it claimed.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var claimed = await Due.ClaimAsync<ClaimedDelivery>(dataSource, InstanceId, timeProvider.GetUtcNow(), settings.ClaimLease, settings.DispatchBatchSize, cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        var messages = await MessagesAsync(claimed, cancellationToken);
        var outcomes = new SendOutcome?[messages.Count];
        var started = Stopwatch.GetTimestamp();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, messages.Count),
                new ParallelOptions { MaxDegreeOfParallelism = settings.SendConcurrency, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    // Past half the lease another instance may soon take these over: leave the rest to the next round
                    // rather than send what someone else will send too.
                    if (Stopwatch.GetElapsedTime(started) < settings.ClaimLease / 2)
                    {
                        outcomes[i] = await SendAsync(messages[i], token);
                    }
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: what was sent is still recorded below, so a restart does not send it again.
        }

        await RecordAsync(messages, outcomes, CancellationToken.None);
        return claimed.Count;
    }

    private async Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (!_senders.TryGetValue(message.Channel, out var sender))
        {
            return SendOutcome.Refused($"no sender for channel '{message.Channel}'");
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            return await sender.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A sender should not throw; if one does, the delivery retries like any failure instead of stalling the batch.
            LogSenderThrew(ex, message.Channel, message.DeliveryId);
            return SendOutcome.Failed($"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            metrics.SendDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("channel", message.Channel));
        }
    }

    /// <summary>The claimed rows as channel messages, with the recipient's address and the deal's name as they are now.</summary>
    private async Task<List<OutgoingMessage>> MessagesAsync(List<ClaimedDelivery> claimed, CancellationToken cancellationToken)
    {
        var notices = claimed.Select(c => JsonSerializer.Deserialize<Notice>(c.Notice, NotificationsJson.Options)!).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var people = (await connection.QueryAsync<(string UserId, string? Name, string? Email)>(new CommandDefinition(
            "SELECT user_id, name, email FROM recipients WHERE user_id = ANY(@ids)",
            new { ids = claimed.Select(c => c.RecipientId).OfType<string>().Distinct().ToArray() }, cancellationToken: cancellationToken)))
            .ToDictionary(p => p.UserId.Trim(), p => (p.Name, p.Email));
        var unnamed = notices.Where(n => n.OpportunityId is not null && n.OpportunityName is null).Select(n => n.OpportunityId!).Distinct().ToArray();
        var deals = unnamed.Length == 0
            ? []
            : (await connection.QueryAsync<(string Id, string? Name, decimal? Amount)>(new CommandDefinition(
                "SELECT opportunity_id, name, amount FROM opportunities WHERE opportunity_id = ANY(@unnamed)", new { unnamed }, cancellationToken: cancellationToken)))
                .ToDictionary(d => d.Id.Trim(), d => (d.Name, d.Amount));

        var messages = new List<OutgoingMessage>(claimed.Count);
        for (var i = 0; i < claimed.Count; i++)
        {
            var row = claimed[i];
            var notice = notices[i];
            if (notice.OpportunityId is { } id && notice.OpportunityName is null && deals.TryGetValue(id, out var deal))
            {
                notice = notice with { OpportunityName = deal.Name, Amount = notice.Amount ?? deal.Amount };
            }

            var person = row.RecipientId is { } recipient ? people.GetValueOrDefault(recipient.Trim()) : default;
            messages.Add(new OutgoingMessage
            {
                DeliveryId = row.Id,
                BusinessKey = row.BusinessKey,
                Channel = row.Channel,
                RecipientId = row.RecipientId?.Trim(),
                RecipientName = person.Name,
                RecipientEmail = person.Email,
                TargetId = row.TargetId,
                Attempt = row.Attempts + 1,
                Notice = notice,
            });
        }

        return messages;
    }

    /// <summary>Records every outcome; deliveries not attempted (stopping, or past half the lease) are released untouched.</summary>
    private async Task RecordAsync(List<OutgoingMessage> messages, SendOutcome?[] outcomes, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var attempted = new List<(OutgoingMessage Message, SendOutcome Outcome, string Status, DateTime? NextAttempt)>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            if (outcomes[i] is not { } outcome)
            {
                continue;
            }

            var message = messages[i];
            var channel = new KeyValuePair<string, object?>("channel", message.Channel);
            if (outcome.IsSent)
            {
                attempted.Add((message, outcome, "sent", null));
                metrics.Sent.Add(1, channel);
                continue;
            }

            var wait = outcome.IsPermanent ? null : RetryLadder.After(message.Channel, message.Attempt);
            if (wait is { } delay)
            {
                attempted.Add((message, outcome, "queued", (now + (outcome.RetryAfter > delay ? outcome.RetryAfter.Value : delay)).UtcDateTime));
                metrics.Retried.Add(1, channel);
                LogRetry(message.Channel, message.DeliveryId, message.Attempt, outcome.Error);
            }
            else
            {
                attempted.Add((message, outcome, "failed", null));
                metrics.Failed.Add(1, channel);
                LogFailed(message.Channel, message.DeliveryId, message.Attempt, outcome.Error);
            }
        }

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deliveries SET lease_until = NULL, claimed_by = NULL WHERE id = ANY(@ids) AND claimed_by = @InstanceId AND status = 'queued'",
            new { ids = messages.Where((_, i) => outcomes[i] is null).Select(m => m.DeliveryId).ToArray(), InstanceId },
            work.Transaction, cancellationToken: cancellationToken));
        var recorded = (await work.Connection.QueryAsync<Guid>(new CommandDefinition(
            """
            UPDATE deliveries d SET status = x.status, attempts = d.attempts + 1, last_error = x.error,
                next_attempt_at = x.next_at, sent_at = CASE WHEN x.status = 'sent' THEN @now ELSE d.sent_at END,
                lease_until = NULL, claimed_by = NULL
            FROM unnest(@ids::uuid[], @statuses::text[], @errors::text[], @nextAt::timestamptz[]) AS x(id, status, error, next_at)
            WHERE d.id = x.id AND d.claimed_by = @InstanceId AND d.status = 'queued'
            RETURNING d.id
            """,
            new
            {
                now = now.UtcDateTime,
                ids = attempted.Select(a => a.Message.DeliveryId).ToArray(),
                statuses = attempted.Select(a => a.Status).ToArray(),
                errors = attempted.Select(a => a.Outcome.Error).ToArray(),
                nextAt = attempted.Select(a => a.NextAttempt).ToArray(),
                InstanceId,
            },
            work.Transaction, cancellationToken: cancellationToken))).ToHashSet();
        var delivered = attempted.Where(a => a.Outcome.IsSent && recorded.Contains(a.Message.DeliveryId)).Select(a => a.Message)
            .Select(m => (NewId.NextGuid(), new NotificationDelivered
            {
                DeliveryId = m.DeliveryId.ToString(),
                BusinessKey = m.BusinessKey,
                RecipientId = m.RecipientId ?? m.TargetId?.ToString() ?? "",
                Channel = m.Channel,
                DeliveredAt = now,
            })).ToList();
        if (delivered.Count > 0)
        {
            await work.PublishManyAsync(delivered, cancellationToken);
        }

        await work.CommitAsync(cancellationToken);
    }

    /// <summary>Every few seconds: how many deliveries are due and how long the oldest has waited (metrics, readiness).</summary>
    public async Task MeasureBacklogAsync(CancellationToken cancellationToken, bool now = false)
    {
        // Throttled on the wall clock: the service clock may stand still (tests) or jump.
        if (!now && _backlogMeasuredAt is { } measured && Stopwatch.GetElapsedTime(measured) < TimeSpan.FromSeconds(10))
        {
            return;
        }

        _backlogMeasuredAt = Stopwatch.GetTimestamp();
        var at = timeProvider.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (due, oldest) = await connection.QuerySingleAsync<(long Due, DateTime? Oldest)>(new CommandDefinition(
            """
            SELECT count(*), min(due) FROM (
                SELECT next_attempt_at AS due FROM deliveries WHERE status = 'queued' AND next_attempt_at <= @now
                UNION ALL
                SELECT held_until FROM deliveries WHERE status = 'held' AND held_until <= @now) d
            """,
            new { now = at.UtcDateTime }, cancellationToken: cancellationToken));
        metrics.RecordBacklog(due, oldest is { } since ? at - new DateTimeOffset(since, TimeSpan.Zero) : TimeSpan.Zero);
    }

    [LoggerMessage(LogLevel.Error, "Delivery round failed; retrying at the next poll")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(LogLevel.Error, "The {Channel} sender threw for delivery {DeliveryId}")]
    private partial void LogSenderThrew(Exception exception, string channel, Guid deliveryId);

    [LoggerMessage(LogLevel.Warning, "Delivery {DeliveryId} on {Channel}: attempt {Attempt} failed ({Error}); retrying later")]
    private partial void LogRetry(string channel, Guid deliveryId, int attempt, string? error);

    [LoggerMessage(LogLevel.Error, "Delivery {DeliveryId} on {Channel} failed after attempt {Attempt}: {Error}")]
    private partial void LogFailed(string channel, Guid deliveryId, int attempt, string? error);

    private sealed class ClaimedDelivery
    {
        public Guid Id { get; set; }

        public string BusinessKey { get; set; } = "";

        public string Channel { get; set; } = "";

        public string? RecipientId { get; set; }

        public Guid? TargetId { get; set; }

        public int Attempts { get; set; }

        public string Notice { get; set; } = "";
    }
}
