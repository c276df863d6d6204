using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.Sync.Salesforce;

public enum SalesforceAuthFlow
{
    /// <summary>OAuth 2.0 JWT bearer: an RS256 assertion signed with the connected app's private key.</summary>
    JwtBearer,

    /// <summary>OAuth 2.0 client credentials with a run-as user set on the connected app.</summary>
    ClientCredentials,
}

/// <summary>
/// How Sync reaches the Salesforce REST API (section <c>Salesforce:Api</c>). Leave <see cref="LoginUrl"/> empty to run
/// webhook-only (no reconciliation, initial load or write-back).
/// </summary>
public sealed class SalesforceApiOptions : IValidatableObject
{
    public const string Section = "Salesforce:Api";

    /// <summary><c>https://login.salesforce.com</c>, <c>https://test.salesforce.com</c> or the My Domain URL.</summary>
    public string? LoginUrl { get; set; }

    public SalesforceAuthFlow AuthFlow { get; set; } = SalesforceAuthFlow.JwtBearer;

    /// <summary>Connected-app consumer key (JWT <c>iss</c>, <c>client_id</c>).</summary>
    public string? ConsumerKey { get; set; }

    /// <summary>Consumer secret (client credentials only). Never logged.</summary>
    public string? ConsumerSecret { get; set; }

    /// <summary>Integration user's username (JWT <c>sub</c>).</summary>
    public string? Username { get; set; }

    /// <summary>PEM of the private key whose certificate is uploaded to the connected app. Never logged.</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>JWT <c>aud</c>; defaults to <see cref="LoginUrl"/>.</summary>
    public string? Audience { get; set; }

    /// <summary>Share of the daily API allowance above which Sync slows down (0.8 = 80 %).</summary>
    [Range(0.1, 1.0)]
    public double BudgetCeiling { get; set; } = 0.8;

    /// <summary>Longest pause added per call as usage approaches 100 % of the allowance.</summary>
    public TimeSpan BudgetMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to stop calling after a 403 REQUEST_LIMIT_EXCEEDED instead of hammering.</summary>
    public TimeSpan LimitExceededPause { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Per-attempt timeout.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries of 503s, lock errors and transport failures (with jittered exponential back-off).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; later ones grow exponentially.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(LoginUrl);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsEnabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(LoginUrl, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Salesforce:Api:LoginUrl must be an absolute URL.", [nameof(LoginUrl)]);
        }

        if (string.IsNullOrWhiteSpace(ConsumerKey))
        {
            yield return new ValidationResult("Salesforce:Api:ConsumerKey is required.", [nameof(ConsumerKey)]);
        }

        if (AuthFlow == SalesforceAuthFlow.JwtBearer && (string.IsNullOrWhiteSpace(Username) || string.IsNullOrWhiteSpace(PrivateKeyPem)))
        {
            yield return new ValidationResult("The JWT bearer flow needs Salesforce:Api:Username and Salesforce:Api:PrivateKeyPem.", [nameof(Username), nameof(PrivateKeyPem)]);
        }

        if (AuthFlow == SalesforceAuthFlow.ClientCredentials && string.IsNullOrWhiteSpace(ConsumerSecret))
        {
            yield return new ValidationResult("The client-credentials flow needs Salesforce:Api:ConsumerSecret.", [nameof(ConsumerSecret)]);
        }
    }
}
