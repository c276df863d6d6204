using System.ComponentModel.DataAnnotations;
using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Sync.Webhooks;

/// <summary>Inbound Salesforce webhooks (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Standard Webhooks secrets (<c>whsec_…</c>) accepted on the change-event endpoint; list two while rotating.
    /// Never logged.
    /// </summary>
    public IList<string> ChangeEventSecrets { get; set; } = [];

    /// <summary>How far <c>webhook-timestamp</c> may be from now (replay window).</summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest request body accepted; larger ones get 413 and change nothing.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ChangeEventSecrets.Count == 0 || ChangeEventSecrets.Any(s => !StandardWebhooks.IsValidSecret(s)))
        {
            yield return new ValidationResult(
                "Webhooks:ChangeEventSecrets needs at least one secret of the form whsec_<base64 of ≥24 bytes>.",
                [nameof(ChangeEventSecrets)]);
        }
    }
}
