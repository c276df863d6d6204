using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>RabbitMQ connection and consumer policies (section <c>Messaging</c>).</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>AMQP URI, e.g. <c>amqp://user:password@127.0.0.1:5672/</c>.</summary>
    [Required]
    public string RabbitMqUri { get; set; } = "";

    /// <summary>Messages fetched ahead per consumer endpoint.</summary>
    [Range(1, 10_000)]
    public int PrefetchCount { get; set; } = 64;

    /// <summary>In-process retry intervals before a message is redelivered or faulted to its <c>_error</c> queue.</summary>
    public IList<TimeSpan> RetryIntervals { get; set; } = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)];

    /// <summary>
    /// Second-level redelivery intervals (the message goes back to the broker and returns later). They need RabbitMQ's
    /// delayed-message-exchange plugin, which Debian's RabbitMQ does not ship; leave empty where it is missing.
    /// </summary>
    public IList<TimeSpan> RedeliveryIntervals { get; set; } = [];
}
