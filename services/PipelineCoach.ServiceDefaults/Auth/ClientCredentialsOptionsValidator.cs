using Microsoft.Extensions.Options;

namespace PipelineCoach.ServiceDefaults.Auth;

/// <summary>A configured token endpoint needs an absolute URL, a client id and a secret; none of them is echoed.</summary>
internal sealed class ClientCredentialsOptionsValidator : IValidateOptions<ClientCredentialsOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientCredentialsOptions options)
    {
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (!options.TokenEndpoint!.IsAbsoluteUri || options.TokenEndpoint.Scheme is not ("https" or "http"))
        {
            errors.Add("Auth:ClientCredentials:TokenEndpoint must be an absolute http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            errors.Add("Auth:ClientCredentials:ClientId is required with a token endpoint.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            errors.Add("Auth:ClientCredentials:ClientSecret is required with a token endpoint.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
