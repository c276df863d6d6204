using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace PipelineCoach.Sync.Salesforce;

/// <summary>
/// Tracks the org's daily API usage from <c>Sforce-Limit-Info: api-usage=N/M</c> on every response and slows calls
/// down once usage passes the configured ceiling — a linearly growing pause up to <see cref="SalesforceApiOptions.BudgetMaxDelay"/>
/// at 100 % — so Sync never spends the allowance other integrations need. After a 403 REQUEST_LIMIT_EXCEEDED it stops
/// calling for <see cref="SalesforceApiOptions.LimitExceededPause"/>.
/// </summary>
public sealed class ApiBudget(IOptions<SalesforceApiOptions> options, TimeProvider time)
{
    private long _used;
    private long _max;
    private long _pausedUntilTicks;

    public long Used => Interlocked.Read(ref _used);

    public long Max => Interlocked.Read(ref _max);

    public DateTimeOffset? PausedUntil =>
        Interlocked.Read(ref _pausedUntilTicks) is var ticks && ticks > time.GetUtcNow().UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public double Share => Max > 0 ? (double)Used / Max : 0;

    /// <summary>The pause to take before the next call (zero below the ceiling).</summary>
    public TimeSpan DelayBeforeCall()
    {
        var ceiling = options.Value.BudgetCeiling;
        var share = Share;
        if (share <= ceiling || ceiling >= 1)
        {
            return TimeSpan.Zero;
        }

        var over = Math.Min(1, (share - ceiling) / (1 - ceiling));
        return options.Value.BudgetMaxDelay * over;
    }

    public void Observe(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("Sforce-Limit-Info", out var values))
        {
            foreach (var part in string.Join(',', values).Split(',', StringSplitOptions.TrimEntries))
            {
                if (TryParseUsage(part, out var used, out var max))
                {
                    Interlocked.Exchange(ref _used, used);
                    Interlocked.Exchange(ref _max, max);
                }
            }
        }
    }

    public void LimitExceeded() =>
        Interlocked.Exchange(ref _pausedUntilTicks, (time.GetUtcNow() + options.Value.LimitExceededPause).UtcTicks);

    /// <summary>Parses <c>api-usage=10018/100000</c>.</summary>
    public static bool TryParseUsage(ReadOnlySpan<char> text, out long used, out long max)
    {
        used = max = 0;
        const string prefix = "api-usage=";
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var value = text[prefix.Length..];
        var slash = value.IndexOf('/');
        return slash > 0
            && long.TryParse(value[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out used)
            && long.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out max);
    }
}

/// <summary>Applies <see cref="ApiBudget"/> to every attempt.</summary>
public sealed class ApiBudgetHandler(ApiBudget budget, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (budget.PausedUntil is { } until)
        {
            throw new SalesforceLimitExceededException(until);
        }

        var delay = budget.DelayBeforeCall();
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, cancellationToken);
        }

        var response = await base.SendAsync(request, cancellationToken);
        budget.Observe(response);
        if (response.StatusCode == HttpStatusCode.Forbidden && await SalesforceErrors.HasCodeAsync(response, "REQUEST_LIMIT_EXCEEDED", cancellationToken))
        {
            budget.LimitExceeded();
        }

        return response;
    }
}

internal static class SalesforceErrors
{
    /// <summary>True when the (buffered) error body names <paramref name="code"/> as errorCode or statusCode.</summary>
    public static async Task<bool> HasCodeAsync(HttpResponseMessage response, string code, CancellationToken cancellationToken)
    {
        if (response.Content is null || response.IsSuccessStatusCode)
        {
            return false;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return body.Contains($"\"{code}\"", StringComparison.Ordinal);
    }
}
