using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.Sync.WriteBack;

/// <summary>Writing scores back to Opportunity fields (section <c>Sync:WriteBack</c>).</summary>
public sealed class WriteBackOptions
{
    public const string Section = "Sync:WriteBack";

    public bool Enabled { get; set; } = true;

    [Required]
    public string ScoreField { get; set; } = "Qualification_Score__c";

    [Required]
    public string GradeField { get; set; } = "Qualification_Grade__c";

    [Required]
    public string FlagsField { get; set; } = "Qualification_Flags__c";

    /// <summary>Records per sObject Collections call (Salesforce allows at most 200).</summary>
    [Range(1, 200)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Attempts per record before it is marked failed (visible in sync status).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First per-record retry delay; it doubles with each attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a claimed batch stays with its writer before another instance may take it (a crashed writer's claim
    /// expires). Longer than the client's worst call: attempts × <c>Salesforce:Api:AttemptTimeout</c> plus back-off.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an idle writer waits before looking again (new scores wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
