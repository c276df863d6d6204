using Microsoft.Extensions.Options;
using PipelineCoach.ServiceDefaults.Auth;

namespace PipelineCoach.Cadence.Agendas.Scoring;

/// <summary>
/// With Scoring configured, the service must be able to get a token for it: client credentials from an issuer, or the
/// local signing key. Checked on start, so a misconfiguration does not first show as every agenda saying Scoring did
/// not answer.
/// </summary>
internal sealed class ScoringClientOptionsValidator(IOptions<AuthOptions> auth, IOptions<ClientCredentialsOptions> credentials)
    : IValidateOptions<ScoringClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ScoringClientOptions options) =>
        options.IsConfigured && !credentials.Value.IsConfigured && string.IsNullOrWhiteSpace(auth.Value.SigningKey)
            ? ValidateOptionsResult.Fail("Scoring:BaseUrl is set, so Cadence calls Scoring with a service token: configure Auth:ClientCredentials (TokenEndpoint, ClientId, ClientSecret) or, in local mode, Auth:SigningKey.")
            : ValidateOptionsResult.Success;
}
