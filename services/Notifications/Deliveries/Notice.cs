namespace PipelineCoach.Notifications.Deliveries;

/// <summary>
/// What a notification says, channel-neutral: every channel renders the same notice (email HTML and text, Block Kit,
/// Adaptive Card, the <c>data</c> of a signed webhook, a Salesforce Task). Stored with each delivery as JSON, so a
/// retry after a restart says exactly what the first attempt said.
/// </summary>
public sealed record Notice
{
    /// <summary>The signal (<see cref="Signals"/>), or <c>digest</c> for a digest.</summary>
    public required string Signal { get; init; }

    /// <summary><c>signal:subject:period</c>; a digest's is <c>digest:recipient:channel:time</c>.</summary>
    public required string BusinessKey { get; init; }

    /// <summary>One line in plain words, e.g. <c>Acme renewal is at risk: slipping</c>; the email subject.</summary>
    public required string Title { get; init; }

    /// <summary>A sentence or two under the title.</summary>
    public string? Summary { get; init; }

    /// <summary>The opportunity the notice is about (null for a rep's health, a recurring cadence, a digest).</summary>
    public string? OpportunityId { get; init; }

    /// <summary>Filled at send time from the opportunity directory when the signal did not carry it.</summary>
    public string? OpportunityName { get; init; }

    /// <summary>The opportunity's amount in the org currency.</summary>
    public decimal? Amount { get; init; }

    /// <summary>The opportunity owner's name.</summary>
    public string? OwnerName { get; init; }

    /// <summary>Breaks through quiet hours (the signal is configured critical).</summary>
    public bool IsCritical { get; init; }

    /// <summary>When the signal happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The body: what changed and what is missing now, an agenda, a digest's opportunities, each a titled list of lines.</summary>
    public IReadOnlyList<NoticeSection> Sections { get; init; } = [];
}

/// <summary>A titled group of lines: "What changed", an agenda section, or one opportunity of a digest.</summary>
public sealed record NoticeSection
{
    public required string Title { get; init; }

    /// <summary>The opportunity the section is about (a digest groups by opportunity).</summary>
    public string? OpportunityId { get; init; }

    public IReadOnlyList<NoticeLine> Lines { get; init; } = [];
}

/// <summary>One line: the words, and what it is about when that is an opportunity.</summary>
public sealed record NoticeLine
{
    /// <summary>In plain words, e.g. <c>Close date pushed out a third time</c>.</summary>
    public required string Text { get; init; }

    public string? OpportunityId { get; init; }

    public string? OpportunityName { get; init; }

    public decimal? Amount { get; init; }

    public string? OwnerName { get; init; }
}
