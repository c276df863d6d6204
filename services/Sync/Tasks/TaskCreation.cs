namespace PipelineCoach.Sync.Tasks;

/// <summary>What one attempt to create a requested Task did.</summary>
public enum TaskCreation
{
    /// <summary>Salesforce created the Task and its id is recorded.</summary>
    Created,

    /// <summary>Salesforce refused the Task; the errors are recorded.</summary>
    Failed,

    /// <summary>The request was already created or failed: nothing was called.</summary>
    AlreadyDone,

    /// <summary>Another consumer holds an unexpired claim on the request: nothing was called.</summary>
    ClaimedElsewhere,

    /// <summary>The Task was created, but the claim had expired and been taken over, so the other holder's outcome counts.</summary>
    ClaimLost,
}
