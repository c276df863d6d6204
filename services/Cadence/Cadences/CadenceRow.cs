namespace PipelineCoach.Cadence.Cadences;

/// <summary>A stored cadence: its resolved definition (jsonb) and when it was written.</summary>
internal sealed class CadenceRow
{
    public Guid Id { get; init; }

    public string Definition { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public CadenceView ToView() => CadenceView.From(Id, CadenceJson.DeserializeDefinition(Definition),
        new DateTimeOffset(DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc)), new DateTimeOffset(DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc)));
}
