namespace PipelineCoach.Testing;

/// <summary>An SMTP server for tests that catches every message and shows it through maildev's REST API.</summary>
public interface IMaildevServer : IAsyncDisposable
{
    string SmtpHost { get; }

    int SmtpPort { get; }

    /// <summary>The web UI and REST API base, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    Uri WebUrl { get; }

    /// <summary>Reads and clears the caught mail.</summary>
    MaildevClient Mail { get; }

    string Description { get; }
}
