namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>A chat destination as posted (create) or put (replace); <see cref="ChatDestinationRequestValidator"/> says what is valid.</summary>
public sealed record ChatDestinationRequest
{
    /// <summary><c>slack</c> or <c>teams</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The incoming-webhook URL: the credential. Required on create; on update, absent keeps the stored one.</summary>
    public string? Url { get; init; }

    public string? Name { get; init; }

    /// <summary>The 18-character Salesforce user id of the manager whose team it serves; null for the whole org.</summary>
    public string? ManagerId { get; init; }

    /// <summary>The signals posted there (<see cref="Routing.Signals"/>), each once.</summary>
    public IReadOnlyList<string?>? Signals { get; init; }
}
