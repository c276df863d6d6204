using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PipelineCoach.SalesforceSimulator.Org;
using PipelineCoach.SalesforceSimulator.Rest;

namespace PipelineCoach.SalesforceSimulator.ChangeEvents;

/// <summary>Standard Webhooks signing: <c>v1,base64(HMAC-SHA256("{id}.{timestamp}.{body}"))</c>.</summary>
public static class StandardWebhooks
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public static string Sign(string secret, string messageId, long timestampSeconds, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        var payload = Encoding.UTF8.GetBytes($"{messageId}.{timestampSeconds.ToString(CultureInfo.InvariantCulture)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, payload));
    }
}

/// <summary>
/// Publishes CDC-shaped JSON change events (the CometD <c>data.payload</c> object) to a webhook. Values are
/// captured at commit time; identical changes to several records in one transaction merge into one event.
/// </summary>
public sealed class ChangeEventPublisher : BackgroundService, IChangeSink
{
    private readonly SimulatorServices services;
    private readonly IHttpClientFactory httpClients;
    private readonly ILogger<ChangeEventPublisher> logger;
    private readonly Lock sync = new();
    private readonly List<Pending> pending = [];
    private readonly WakeSignal wake = new();
    private long delivered;
    private long failed;
    private long posts;

    internal ChangeEventPublisher(SimulatorServices services, IHttpClientFactory httpClients, ILogger<ChangeEventPublisher> logger)
    {
        this.services = services;
        this.httpClients = httpClients;
        this.logger = logger;
    }

    private sealed class Pending(string payload)
    {
        public string Payload { get; } = payload;

        /// <summary>Standard Webhooks: retries of one message keep its id.</summary>
        public string MessageId { get; } = "msg_" + Guid.NewGuid().ToString("N");

        public int Attempts { get; set; }

        public long NextAttemptMs { get; set; }
    }

    private ChangeEventOptions Options => services.Options.ChangeEvents;

    private TimeProvider Time => services.Options.TimeProvider;

    public Uri? WebhookUrl
    {
        get => Options.WebhookUrl;
        set
        {
            Options.WebhookUrl = value;
            wake.Set();
        }
    }

    public long DeliveredCount => Interlocked.Read(ref delivered);

    /// <summary>Events given up after <see cref="ChangeEventOptions.MaxAttempts"/>.</summary>
    public long FailedCount => Interlocked.Read(ref failed);

    public long Posts => Interlocked.Read(ref posts);

    public int PendingCount
    {
        get
        {
            lock (sync)
            {
                return pending.Count;
            }
        }
    }

    public void OnCommitted(IReadOnlyList<RecordChange> transaction)
    {
        if (Options.WebhookUrl is null)
        {
            return;
        }

        var payloads = BuildPayloads(transaction, Options.Entities);
        if (payloads.Count == 0)
        {
            return;
        }

        lock (sync)
        {
            pending.AddRange(payloads.Select(p => new Pending(p)));
        }

        wake.Set();
    }

    /// <summary>
    /// Publishes a header-only gap event (<c>GAP_CREATE</c>, <c>GAP_UPDATE</c>, <c>GAP_DELETE</c>,
    /// <c>GAP_UNDELETE</c>) for the given records, or <c>GAP_OVERFLOW</c> with no ids, as Salesforce does after
    /// database-level changes or transactions too large to describe.
    /// </summary>
    public void PublishGap(string entityName, string changeType, IReadOnlyList<string> recordIds)
    {
        ArgumentNullException.ThrowIfNull(recordIds);
        if (Options.WebhookUrl is null)
        {
            return;
        }

        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, SalesforceJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("ChangeEventHeader");
            writer.WriteString("entityName", entityName);
            writer.WriteStartArray("recordIds");
            foreach (var id in changeType == "GAP_OVERFLOW" ? [] : recordIds)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
            writer.WriteString("changeType", changeType);
            foreach (var list in new[] { "changedFields", "nulledFields", "diffFields" })
            {
                writer.WriteStartArray(list);
                writer.WriteEndArray();
            }

            writer.WriteString("changeOrigin", string.Empty);
            writer.WriteString("transactionKey", Guid.NewGuid().ToString("N")[..20]);
            writer.WriteNumber("sequenceNumber", 1);
            writer.WriteNumber("commitTimestamp", now);
            writer.WriteNumber("commitNumber", 0);
            writer.WriteString("commitUser", services.Org.UserId(0));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        lock (sync)
        {
            pending.Add(new Pending(Encoding.UTF8.GetString(buffer.WrittenSpan)));
        }

        wake.Set();
    }

    /// <summary>The <c>data.payload</c> JSON of each event of a transaction, merged by identical change.</summary>
    internal static List<string> BuildPayloads(IReadOnlyList<RecordChange> transaction, IReadOnlyList<string> entities)
    {
        var groups = new List<(string Key, List<RecordChange> Changes)>();
        foreach (var change in transaction.Where(c => entities.Contains(c.EntityName, StringComparer.OrdinalIgnoreCase)))
        {
            var key = $"{change.EntityName}|{change.ChangeType}|{string.Join(',', change.ChangedFields)}|"
                + string.Join(',', change.Values.Select(v => $"{v.Key}={v.Value.ToInvariantString()}"));
            var group = groups.FirstOrDefault(g => g.Key == key && change.ChangeType == ChangeType.Update);
            if (group.Changes is null)
            {
                groups.Add((key, [change]));
            }
            else
            {
                group.Changes.Add(change);
            }
        }

        return [.. groups.Select(g => Payload(g.Changes))];
    }

    private static string Payload(List<RecordChange> changes)
    {
        var first = changes[0];
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, SalesforceJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("ChangeEventHeader");
            writer.WriteString("entityName", first.EntityName);
            writer.WriteStartArray("recordIds");
            foreach (var c in changes)
            {
                writer.WriteStringValue(c.RecordId);
            }

            writer.WriteEndArray();
            writer.WriteString("changeType", first.ChangeType.ToString().ToUpperInvariant());
            WriteList(writer, "changedFields", first.ChangeType == ChangeType.Update ? first.ChangedFields : []);
            WriteList(writer, "nulledFields", first.ChangeType == ChangeType.Update ? first.NulledFields : []);
            WriteList(writer, "diffFields", []);
            writer.WriteString("changeOrigin", first.ChangeOrigin);
            writer.WriteString("transactionKey", first.TransactionKey);
            writer.WriteNumber("sequenceNumber", first.SequenceNumber);
            writer.WriteNumber("commitTimestamp", first.CommitTimestampMs);
            writer.WriteNumber("commitNumber", first.CommitNumber);
            writer.WriteString("commitUser", first.CommitUserId);
            writer.WriteEndObject();
            if (first.ChangeType != ChangeType.Delete)
            {
                foreach (var (field, value) in first.Values)
                {
                    writer.WritePropertyName(field);
                    SalesforceJson.WriteValue(writer, value, zuluDateTimes: true);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);

        static void WriteList(Utf8JsonWriter writer, string name, IEnumerable<string> items)
        {
            writer.WriteStartArray(name);
            foreach (var item in items)
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var signal = wake.Current;
            TimeSpan wait;
            try
            {
                wait = await SendDueAsync(stoppingToken);
                await WakeSignal.WaitAsync(signal, wait, Time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<TimeSpan> SendDueAsync(CancellationToken cancellationToken)
    {
        var url = Options.WebhookUrl;
        if (url is null)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        List<Pending> due;
        lock (sync)
        {
            due = [.. pending.Where(p => p.NextAttemptMs <= now)];
        }

        if (services.Faults.ReorderDeliveries)
        {
            due.Reverse();
        }

        foreach (var batch in due.Chunk(Math.Max(1, Options.MaxEventsPerPost)))
        {
            var body = Options.MaxEventsPerPost <= 1 ? batch[0].Payload : "[" + string.Join(',', batch.Select(p => p.Payload)) + "]";
            var ok = await PostAsync(url, batch.Length == 1 ? batch[0].MessageId : "msg_" + Guid.NewGuid().ToString("N"), body, cancellationToken);
            now = Time.GetUtcNow().ToUnixTimeMilliseconds();
            lock (sync)
            {
                foreach (var p in batch)
                {
                    p.Attempts++;
                    if (ok || p.Attempts >= Options.MaxAttempts)
                    {
                        pending.Remove(p);
                        Interlocked.Increment(ref ok ? ref delivered : ref failed);
                    }
                    else
                    {
                        var interval = Options.FirstRetryInterval * Math.Pow(2, Math.Min(20, p.Attempts - 1));
                        p.NextAttemptMs = now + (long)Math.Max(1, interval.TotalMilliseconds * services.Options.TimeScale);
                    }
                }
            }
        }

        lock (sync)
        {
            return pending.Count == 0
                ? Timeout.InfiniteTimeSpan
                : TimeSpan.FromMilliseconds(Math.Max(1, pending.Min(p => p.NextAttemptMs) - Time.GetUtcNow().ToUnixTimeMilliseconds()));
        }
    }

    private async Task<bool> PostAsync(Uri url, string messageId, string body, CancellationToken cancellationToken)
    {
        var copies = services.Faults.DuplicateDeliveries ? 2 : 1;
        var ok = false;
        for (var copy = 0; copy < copies; copy++)
        {
            Interlocked.Increment(ref posts);
            try
            {
                var timestamp = Time.GetUtcNow().ToUnixTimeSeconds();
                using var client = httpClients.CreateClient(OutboundMessages.OutboundMessageDispatcher.HttpClientName);
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.TryAddWithoutValidation(StandardWebhooks.IdHeader, messageId);
                request.Headers.TryAddWithoutValidation(StandardWebhooks.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
                request.Headers.TryAddWithoutValidation(StandardWebhooks.SignatureHeader, StandardWebhooks.Sign(Options.Secret, messageId, timestamp, body));
                using var response = await client.SendAsync(request, cancellationToken);
                ok |= response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogDebug(e, "Change event post to {Url} failed", url);
            }
        }

        return ok;
    }
}
