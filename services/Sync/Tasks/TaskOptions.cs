namespace PipelineCoach.Sync.Tasks;

/// <summary>Creating Salesforce Tasks on request (section <c>Sync:Tasks</c>).</summary>
public sealed class TaskOptions
{
    public const string Section = "Sync:Tasks";

    /// <summary>
    /// How long a claimed request stays with its consumer before a duplicate request may take it (a crashed consumer's
    /// claim expires; a redelivery of the claiming message takes its own claim over at once).
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(15);
}
