namespace PipelineCoach.Notifications.Channels.Email;

/// <summary>
/// What the Liquid templates see (snake_case names: <c>title</c>, <c>deal.amount</c>, <c>section.lines</c>): every
/// value already in words, so the templates only lay them out and Fluid encodes each one.
/// </summary>
internal sealed record EmailView
{
    public string? Greeting { get; init; }

    /// <summary>The signal in words, e.g. <c>Opportunity risk</c>, shown in the header bar.</summary>
    public required string Label { get; init; }

    public required bool Critical { get; init; }

    public required string Title { get; init; }

    public string? Summary { get; init; }

    /// <summary>The opportunity the notice is about, when it is about one.</summary>
    public Deal? Opportunity { get; init; }

    public IReadOnlyList<Section> Sections { get; init; } = [];

    /// <summary>The footer's "Why you got this".</summary>
    public string? Why { get; init; }

    public required string OccurredAt { get; init; }

    internal sealed record Deal(string Name, string? Amount, string? Owner);

    internal sealed record Section(string Title, IReadOnlyList<Line> Lines);

    /// <summary>A line's words, and under them what it is about (<c>Acme renewal · $120,000 · Riley Rep</c>) when known.</summary>
    internal sealed record Line(string Text, string? Detail);
}
