using System.Text.Json;

namespace PipelineCoach.Testing;

/// <summary>
/// A message maildev caught, as its REST API (<c>GET /api/email</c>) shows it. <see cref="Headers"/> maps lower-case
/// header names to a string (or an array, for repeated headers).
/// </summary>
public sealed record MaildevMessage(
    string Id,
    DateTimeOffset Time,
    string? Subject,
    IReadOnlyList<MaildevAddress> From,
    IReadOnlyList<MaildevAddress> To,
    string? Text,
    string? Html,
    IReadOnlyDictionary<string, JsonElement> Headers)
{
    /// <summary>A header's value, when it holds a single string.</summary>
    public string? Header(string name) =>
        Headers.TryGetValue(name.ToLowerInvariant(), out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
