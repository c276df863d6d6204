using System.ComponentModel.DataAnnotations;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Webhooks.OutboundMessages;

/// <summary>The SOAP outbound-message endpoint (section <c>Webhooks:OutboundMessages</c>).</summary>
public sealed class OutboundMessageOptions : IValidatableObject
{
    public const string Section = "Webhooks:OutboundMessages";

    /// <summary>
    /// When set, the endpoint is only served at <c>/webhooks/salesforce/outbound-messages/{Secret}</c> (compared in
    /// constant time); the bare path and any other segment answer 404. At least 32 characters. Never logged.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Secrets still accepted while a rotation is under way (messages queued with the old URL drain).</summary>
    public IList<string> PreviousSecrets { get; set; } = [];

    /// <summary>Orgs accepted besides <c>Salesforce:OrganizationId</c> (e.g. a sandbox during a cut-over).</summary>
    public IList<string> AdditionalOrganizationIds { get; set; } = [];

    /// <summary>
    /// The user Pipeline Coach writes back as. A notification whose <c>LastModifiedById</c> is this user is an echo
    /// of our own write: it is mirrored, but published with <c>IsOwnWrite</c> so nothing rescores it.
    /// </summary>
    public string? IntegrationUserId { get; set; }

    /// <summary>
    /// SHA-1 thumbprints of client certificates accepted when Kestrel terminates mutual TLS itself; empty means no
    /// client-certificate check here (e.g. the ingress verifies it).
    /// </summary>
    public IList<string> ClientCertificateThumbprints { get; set; } = [];

    /// <summary>Largest body accepted. 100 notifications of 30 fields are about 300 KB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var secret in PreviousSecrets.Prepend(Secret).Where(s => !string.IsNullOrEmpty(s)).OfType<string>())
        {
            if (secret.Length < 32 || !secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                yield return new ValidationResult(
                    $"{Section}:Secret and PreviousSecrets need at least 32 letters, digits, '-' or '_' (they are URL segments).",
                    [nameof(Secret)]);
                break;
            }
        }

        if (PreviousSecrets.Any(s => !string.IsNullOrEmpty(s)) && string.IsNullOrEmpty(Secret))
        {
            yield return new ValidationResult($"{Section}:PreviousSecrets needs a current {Section}:Secret.", [nameof(PreviousSecrets)]);
        }

        if (AdditionalOrganizationIds.Any(id => !SalesforceId.TryNormalize(id, out var n) || !n.StartsWith("00D", StringComparison.Ordinal)))
        {
            yield return new ValidationResult($"{Section}:AdditionalOrganizationIds must be org ids (00D…).", [nameof(AdditionalOrganizationIds)]);
        }

        if (IntegrationUserId is { Length: > 0 } user && (!SalesforceId.TryNormalize(user, out var u) || !u.StartsWith("005", StringComparison.Ordinal)))
        {
            yield return new ValidationResult($"{Section}:IntegrationUserId must be a user id (005…).", [nameof(IntegrationUserId)]);
        }
    }
}
