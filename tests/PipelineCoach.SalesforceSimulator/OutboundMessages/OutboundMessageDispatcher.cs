using System.Text;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.OutboundMessages;

/// <summary>
/// Salesforce's outbound-message queue: one notification per record change of the configured object, sent in
/// messages of up to 100 with the record's values read at send time, retried with exponential back-off (capped)
/// until acknowledged or older than the lifetime.
/// </summary>
public sealed class OutboundMessageDispatcher : BackgroundService, IChangeSink
{
    internal const string HttpClientName = "outbound-messages";

    private readonly SimulatorServices services;
    private readonly IHttpClientFactory httpClients;
    private readonly ILogger<OutboundMessageDispatcher> logger;
    private readonly Lock sync = new();
    private readonly List<Pending> pending = [];
    private readonly WakeSignal wake = new();
    private long nextNotification;
    private long delivered;
    private long dropped;
    private long messagesSent;
    private long attempts;

    internal OutboundMessageDispatcher(SimulatorServices services, IHttpClientFactory httpClients, ILogger<OutboundMessageDispatcher> logger)
    {
        this.services = services;
        this.httpClients = httpClients;
        this.logger = logger;
        ActionId = SalesforceIds.Create(SalesforceIds.OutboundMessage, 1);
    }

    private sealed class Pending(string id, SObjectTable table, int row, long enqueuedMs)
    {
        public string Id { get; } = id;

        public SObjectTable Table { get; } = table;

        public int Row { get; } = row;

        public long EnqueuedMs { get; } = enqueuedMs;

        public long NextAttemptMs { get; set; } = enqueuedMs;

        public int Attempts { get; set; }
    }

    /// <summary>The outbound-message definition id (<c>ActionId</c>, 04k…).</summary>
    public string ActionId { get; }

    private OutboundMessageOptions Options => services.Options.OutboundMessages;

    private TimeProvider Time => services.Options.TimeProvider;

    /// <summary>Where messages go; may be changed while running (e.g. once the receiver has started).</summary>
    public Uri? EndpointUrl
    {
        get => Options.EndpointUrl;
        set
        {
            Options.EndpointUrl = value;
            wake.Set();
        }
    }

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

    /// <summary>Notifications acknowledged by the endpoint.</summary>
    public long DeliveredCount => Interlocked.Read(ref delivered);

    /// <summary>Notifications dropped after the lifetime ran out.</summary>
    public long DroppedCount => Interlocked.Read(ref dropped);

    public long MessagesSent => Interlocked.Read(ref messagesSent);

    /// <summary>HTTP posts made, including retries and injected duplicates.</summary>
    public long Attempts => Interlocked.Read(ref attempts);

    public void OnCommitted(IReadOnlyList<RecordChange> transaction)
    {
        if (Options.EndpointUrl is null)
        {
            return;
        }

        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        var added = false;
        lock (sync)
        {
            foreach (var change in transaction)
            {
                if (change.ChangeType is ChangeType.Create or ChangeType.Update
                    && string.Equals(change.EntityName, Options.ObjectType, StringComparison.OrdinalIgnoreCase))
                {
                    var table = services.Org.FindTable(change.EntityName)!;
                    var id = SalesforceIds.Create(SalesforceIds.OutboundNotification, Interlocked.Increment(ref nextNotification));
                    pending.Add(new Pending(id, table, change.Row, now));
                    added = true;
                }
            }
        }

        if (added)
        {
            wake.Set();
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
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await WakeSignal.WaitAsync(signal, wait, Time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Wait after the n-th failed attempt: doubling from the first interval, capped (30 s, 1 min, … 2 h).</summary>
    internal static TimeSpan RetryInterval(OutboundMessageOptions options, int failedAttempts)
    {
        var backoff = options.FirstRetryInterval * Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 30));
        return backoff > options.MaxRetryInterval ? options.MaxRetryInterval : backoff;
    }

    private TimeSpan Scaled(TimeSpan interval) => TimeSpan.FromTicks((long)(interval.Ticks * services.Options.TimeScale));

    /// <summary>Sends every due notification; returns how long until the next one is due.</summary>
    private async Task<TimeSpan> SendDueAsync(CancellationToken cancellationToken)
    {
        var endpoint = Options.EndpointUrl;
        if (endpoint is null)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        var lifetimeMs = (long)Scaled(Options.Lifetime).TotalMilliseconds;
        List<Pending> due;
        lock (sync)
        {
            var expired = pending.RemoveAll(p => now - p.EnqueuedMs >= lifetimeMs);
            Interlocked.Add(ref dropped, expired);
            due = [.. pending.Where(p => p.NextAttemptMs <= now)];
        }

        if (services.Faults.ReorderDeliveries)
        {
            due.Reverse();
        }

        var size = Math.Clamp(Options.MaxNotificationsPerMessage, 1, 100);
        if (services.Faults.ReorderDeliveries)
        {
            size = Math.Max(1, Math.Min(size, (due.Count + 1) / 2));
        }

        foreach (var batch in due.Chunk(size))
        {
            var ok = await PostAsync(endpoint, batch, cancellationToken);
            now = Time.GetUtcNow().ToUnixTimeMilliseconds();
            lock (sync)
            {
                foreach (var p in batch)
                {
                    if (ok)
                    {
                        pending.Remove(p);
                    }
                    else
                    {
                        p.Attempts++;
                        p.NextAttemptMs = now + (long)Math.Max(1, Scaled(RetryInterval(Options, p.Attempts)).TotalMilliseconds);
                    }
                }
            }

            if (ok)
            {
                Interlocked.Add(ref delivered, batch.Length);
            }
        }

        lock (sync)
        {
            if (pending.Count == 0)
            {
                return Timeout.InfiniteTimeSpan;
            }

            var next = Math.Min(pending.Min(p => p.NextAttemptMs), pending.Min(p => p.EnqueuedMs) + lifetimeMs);
            return TimeSpan.FromMilliseconds(Math.Max(1, next - Time.GetUtcNow().ToUnixTimeMilliseconds()));
        }
    }

    /// <summary>Builds the envelope with the records' current values (latest state at send time).</summary>
    internal string BuildEnvelope(IReadOnlyList<(string NotificationId, SObjectTable Table, int Row)> notifications)
    {
        var contents = new List<SoapEnvelope.NotificationContent>();
        lock (services.Org.Sync)
        {
            foreach (var (id, table, row) in notifications)
            {
                var fields = new List<(string, FieldValue)>();
                foreach (var name in Options.Fields.Prepend("Id").Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    if (table.FindField(name) is { } field)
                    {
                        fields.Add((field.Name, table.Get(row, field)));
                    }
                }

                contents.Add(new SoapEnvelope.NotificationContent(id, table.Name, fields));
            }
        }

        var sessionId = Options.SendSessionId ? services.Tokens.Issue(0).AccessToken : null;
        return SoapEnvelope.Write(services.Org.OrganizationId, ActionId, sessionId, services.BaseUrl, contents);
    }

    private async Task<bool> PostAsync(Uri endpoint, Pending[] batch, CancellationToken cancellationToken)
    {
        var envelope = BuildEnvelope([.. batch.Select(p => (p.Id, p.Table, p.Row))]);
        var copies = services.Faults.DuplicateDeliveries ? 2 : 1;
        var acked = false;
        Interlocked.Increment(ref messagesSent);
        for (var copy = 0; copy < copies; copy++)
        {
            Interlocked.Increment(ref attempts);
            try
            {
                using var client = httpClients.CreateClient(HttpClientName);
                client.Timeout = Options.RequestTimeout;
                using var content = new StringContent(envelope, Encoding.UTF8, "text/xml");
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
                request.Headers.TryAddWithoutValidation("SOAPAction", "\"\"");
                using var response = await client.SendAsync(request, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                acked |= response.IsSuccessStatusCode && (int)response.StatusCode == 200 && SoapEnvelope.IsAck(body);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogDebug(e, "Outbound message to {Endpoint} failed", endpoint);
            }
        }

        return acked;
    }
}
