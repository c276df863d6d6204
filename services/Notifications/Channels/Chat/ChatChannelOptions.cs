using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>Slack and Teams posting (section <c>Notifications:Chat</c>). The defaults suit both; tests shorten the retry delay.</summary>
public sealed class ChatChannelOptions
{
    public const string Section = "Notifications:Chat";

    /// <summary>One message per this interval per destination: Slack allows about one a second per webhook.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan PacingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a send waits for its destination's turn before it fails (and the dispatcher retries it later).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan PacingMaxWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The median delay before the first of the two jittered retries within an attempt (the second waits about twice as long).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one request may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
