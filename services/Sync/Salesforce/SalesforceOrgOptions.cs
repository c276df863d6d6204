using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.Sync.Salesforce;

/// <summary>The Salesforce org(s) this deployment mirrors (section <c>Salesforce</c>).</summary>
public sealed class SalesforceOrgOptions : IValidatableObject
{
    public const string Section = "Salesforce";

    /// <summary>The 18-character id of the org; inbound deliveries from any other org are refused.</summary>
    [Required]
    public string OrganizationId { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!SalesforceId.TryNormalize(OrganizationId, out var id) || !id.StartsWith("00D", StringComparison.Ordinal))
        {
            yield return new ValidationResult("Salesforce:OrganizationId must be a 15- or 18-character org id (00D…).", [nameof(OrganizationId)]);
        }
    }
}
