using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.Scoring;

/// <summary>Scoring behaviour (section <c>Scoring</c>).</summary>
public sealed class ScoringOptions
{
    public const string Section = "Scoring";

    /// <summary>
    /// Fields Pipeline Coach writes back to Salesforce. An own write (<c>IsOwnWrite</c>) that changed only these (and
    /// Salesforce's audit fields) is our echo and is never rescored, so a write-back cannot loop.
    /// </summary>
    [Required]
    public IList<string> WriteBackFields { get; set; } = ["Qualification_Score__c", "Qualification_Grade__c", "Qualification_Flags__c"];

    /// <summary>Opportunities scored per chunk when a scorecard activation rescores every open opportunity.</summary>
    [Range(100, 1_000_000)]
    public int RescoringChunkSize { get; set; } = 20_000;

    /// <summary>Chunks written concurrently (each its own connection and transaction) during rescoring.</summary>
    [Range(1, 16)]
    public int RescoringWriters { get; set; } = 2;

    /// <summary>A running job whose worker has not reported progress for this long is taken over by another.</summary>
    public TimeSpan RescoringStaleAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Rescore every open opportunity once a day with each active scorecard: scores are as-of a day, so a deal left
    /// alone still ages into flags such as stale activity or stalled.
    /// </summary>
    public bool DailyRescoring { get; set; } = true;

    /// <summary>How often the rescoring worker looks for queued jobs written by any instance.</summary>
    public TimeSpan RescoringPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages per batch for the OpportunityChanged consumer (each batch is one transaction).</summary>
    [Range(1, 1000)]
    public int ConsumerBatchSize { get; set; } = 250;

    /// <summary>How long a batch waits to fill up before it is processed anyway.</summary>
    public TimeSpan ConsumerBatchTimeLimit { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Batches processed concurrently per instance.</summary>
    [Range(1, 64)]
    public int ConsumerConcurrency { get; set; } = 3;

    /// <summary>Salesforce audit fields that change with every write, ignored when deciding whether a change is our echo.</summary>
    internal static readonly HashSet<string> AuditFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "SystemModstamp", "LastModifiedDate", "LastModifiedById", "LastReferencedDate", "LastViewedDate",
    };
}
