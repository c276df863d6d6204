namespace PipelineCoach.ServiceDefaults.Auth;

/// <summary>
/// OAuth client credentials for service-to-service calls (section <c>Auth:ClientCredentials</c>). When
/// <see cref="TokenEndpoint"/> is set, tokens come from the configured issuer; otherwise (local mode) they are minted
/// from <see cref="AuthOptions.SigningKey"/>.
/// </summary>
public sealed class ClientCredentialsOptions
{
    public const string Section = "Auth:ClientCredentials";

    /// <summary>The issuer's token endpoint, e.g. <c>https://login.example.com/oauth2/token</c>.</summary>
    public Uri? TokenEndpoint { get; set; }

    public string? ClientId { get; set; }

    /// <summary>From the environment or a secret store; never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Sent as <c>audience</c> when the issuer needs one (Auth0-style); usually unset.</summary>
    public string? Audience { get; set; }

    public bool IsConfigured => TokenEndpoint is not null;
}
