namespace PipelineCoach.Contracts.Notifications;

/// <summary>Command: create a Salesforce Task (e.g. a follow-up after an acknowledged alert).</summary>
public sealed record SalesforceTaskRequested
{
    /// <summary>The stable message name (exchange name) for this contract.</summary>
    public const string MessageName = "notifications.salesforce-task-requested";

    /// <summary>Idempotency key; the same key never creates two tasks.</summary>
    public required string RequestId { get; init; }

    /// <summary>18-character id of the record the task relates to (<c>WhatId</c>).</summary>
    public required string WhatId { get; init; }

    /// <summary>18-character id of the task owner.</summary>
    public required string OwnerId { get; init; }

    /// <summary>Task subject.</summary>
    public required string Subject { get; init; }

    /// <summary>Due date.</summary>
    public DateOnly? ActivityDate { get; init; }

    /// <summary>Task description.</summary>
    public string? Description { get; init; }
}
