using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.Cadence.Agendas.Scoring;

/// <summary>
/// Where Scoring answers (section <c>Scoring</c>). Without <see cref="BaseUrl"/> agendas are built from the events
/// this service keeps (scores, flags, health alerts) and say that live figures were unavailable.
/// </summary>
internal sealed class ScoringClientOptions : IValidatableObject
{
    public const string Section = "Scoring";

    /// <summary>Scoring's base URL, e.g. <c>http://127.0.0.1:5102</c>; null for local data only.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>One attempt's limit.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of a transient failure (5xx, 429, timeout, connection error).</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>First retry delay (exponential with jitter after it).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Calls one agenda batch makes at a time.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 8;

    public bool IsConfigured => BaseUrl is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Scoring:BaseUrl must be an absolute http(s) URL.", [nameof(BaseUrl)]);
        }
    }
}
