using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.Cadence;

/// <summary>Scheduling settings (section <c>Cadence</c>).</summary>
public sealed class CadenceOptions : IValidatableObject
{
    public const string Section = "Cadence";

    /// <summary>How far ahead recurring slots are materialised in the ledger.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan Horizon { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the horizon is extended (and new cadences are picked up when no write woke it).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan MaterializeInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often due slots are looked for when nothing woke the claimer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan ClaimInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Slots claimed per round.</summary>
    [Range(1, 10_000)]
    public int ClaimBatchSize { get; set; } = 250;

    /// <summary>How long a claim holds a slot while its agenda is built; a killed instance's slots return after it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The opportunity stage ladder, earliest first, closed stages excluded. Default: Salesforce's standard ladder.
    /// </summary>
    [MinLength(2)]
    public List<string> StageLadder { get; set; } =
    [
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
        "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review",
    ];

    /// <summary>The proposal stage: the pre-presentation review fires on entering the stage before it.</summary>
    [Required]
    public string ProposalStage { get; set; } = "Proposal/Price Quote";

    /// <summary>The negotiation stage: negotiation preparation fires on entering the stage before it.</summary>
    [Required]
    public string NegotiationStage { get; set; } = "Negotiation/Review";

    /// <summary>How many of the ladder's first stages count as early (weekly review's "early-stage first").</summary>
    [Range(1, 20)]
    public int EarlyStageCount { get; set; } = 2;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, stage) in new[] { (nameof(ProposalStage), ProposalStage), (nameof(NegotiationStage), NegotiationStage) })
        {
            if (StageLadder.IndexOf(stage) < 1)
            {
                yield return new ValidationResult($"Cadence:{name} '{stage}' must be in Cadence:StageLadder, after its first stage.", [name]);
            }
        }
    }

    /// <summary>The stage just before <paramref name="stage"/> on the ladder.</summary>
    public string StageBefore(string stage) => StageLadder[StageLadder.IndexOf(stage) - 1];
}
