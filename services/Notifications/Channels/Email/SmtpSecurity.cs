namespace PipelineCoach.Notifications.Channels.Email;

/// <summary>How the connection to an SMTP relay is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP (loopback catchers such as maildev).</summary>
    None,

    /// <summary>STARTTLS, required: a relay that does not offer it fails.</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    SslOnConnect,

    /// <summary>TLS on connect for port 465, otherwise STARTTLS when the relay offers it.</summary>
    Auto,
}
