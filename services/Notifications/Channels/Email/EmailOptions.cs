using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.Notifications.Channels.Email;

/// <summary>Email channel settings (section <c>Notifications:Email</c>), validated on start.</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Notifications:Email";

    /// <summary>The sender address.</summary>
    [Required]
    public string From { get; set; } = "pipeline-coach@localhost";

    /// <summary>The sender's display name.</summary>
    [Required]
    public string FromName { get; set; } = "Pipeline Coach";

    /// <summary>
    /// SMTP relays, tried in order: a relay that fails (or whose circuit is open) hands the message to the next.
    /// With none configured, the conventional local MTA (<c>localhost:25</c>) is the one relay.
    /// </summary>
    public List<EmailRelay> Relays { get; set; } = [];

    /// <summary>How long one relay gets to connect, authenticate and take the message.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a relay is skipped after repeated failures, before it is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RelayBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!EmailAddresses.IsValid(From))
        {
            yield return new ValidationResult($"{Section}:From '{From}' is not an email address.", [nameof(From)]);
        }

        if (Relays.Count == 0)
        {
            yield return new ValidationResult($"{Section}:Relays needs at least one relay.", [nameof(Relays)]);
        }

        for (var i = 0; i < Relays.Count; i++)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(Relays[i], new ValidationContext(Relays[i]), results, validateAllProperties: true);
            foreach (var result in results)
            {
                var member = result.MemberNames.FirstOrDefault();
                yield return new ValidationResult($"{Section}:Relays:{i}:{member}: {result.ErrorMessage}", [$"{nameof(Relays)}[{i}].{member}"]);
            }
        }
    }
}
