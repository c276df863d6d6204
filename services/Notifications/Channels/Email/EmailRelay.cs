using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.Notifications.Channels.Email;

/// <summary>
/// One SMTP relay (<c>Notifications:Email:Relays:{n}</c>). A class, not a record, so that nothing prints the password:
/// <see cref="ToString"/> is <c>host:port</c>, the only way a relay is named in logs, metrics and delivery errors.
/// </summary>
public sealed class EmailRelay
{
    [Required]
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>Authenticates when set.</summary>
    public string? Username { get; set; }

    /// <summary>
    /// Comes from configuration only: the environment (<c>Notifications__Email__Relays__0__Password</c>) or the
    /// platform's secret store. Never logged, never stored in the database, never returned by the API.
    /// </summary>
    public string? Password { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public override string ToString() => $"{Host}:{Port}";
}
