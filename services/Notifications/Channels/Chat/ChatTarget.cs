namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>Where a sender posts: the destination with its URL decrypted. Printed without the URL, so logging one leaks nothing.</summary>
internal sealed record ChatTarget(Guid Id, string Type, string Name, Uri Url, string UrlDisplay)
{
    public override string ToString() => $"{Type} destination {Id} ({UrlDisplay})";
}
