namespace PipelineCoach.ServiceDefaults.Retention;

/// <summary>
/// A table whose rows are deleted once <see cref="TimestampColumn"/> is older than the retention period. The column
/// should be indexed; rows where it is null are kept. Registered in code, never from input.
/// </summary>
public sealed record RetainedTable(string Table, string TimestampColumn);
