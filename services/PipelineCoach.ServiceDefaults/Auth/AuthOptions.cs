using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.ServiceDefaults.Auth;

/// <summary>
/// JWT bearer settings (section <c>Auth</c>). Production names an OIDC <see cref="Authority"/>; local mode sets a
/// shared <see cref="SigningKey"/> (HS256) instead, which <c>deploy/local/up.sh</c> generates.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    /// <summary>OIDC issuer URL whose discovery document supplies signing keys; null in local mode.</summary>
    public string? Authority { get; set; }

    /// <summary>Expected <c>iss</c> claim.</summary>
    [Required]
    public string Issuer { get; set; } = "pipeline-coach";

    /// <summary>Expected <c>aud</c> claim.</summary>
    [Required]
    public string Audience { get; set; } = "pipeline-coach";

    /// <summary>Local-mode HS256 key, base64 (at least 32 bytes once decoded). Never logged.</summary>
    public string? SigningKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Authority) && string.IsNullOrWhiteSpace(SigningKey))
        {
            yield return new ValidationResult("Set Auth:Authority (OIDC) or Auth:SigningKey (local mode).", [nameof(Authority), nameof(SigningKey)]);
        }
        else if (string.IsNullOrWhiteSpace(Authority) && LocalKeyBytes() is not { Length: >= 32 })
        {
            yield return new ValidationResult("Auth:SigningKey must be base64 of at least 32 bytes.", [nameof(SigningKey)]);
        }
    }

    internal byte[]? LocalKeyBytes()
    {
        if (SigningKey is null)
        {
            return null;
        }

        var buffer = new byte[SigningKey.Length];
        return Convert.TryFromBase64String(SigningKey, buffer, out var written) ? buffer[..written] : null;
    }
}
