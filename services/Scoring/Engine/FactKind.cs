namespace PipelineCoach.Scoring.Engine;

public enum FactKind : byte
{
    Missing,
    Number,
    Text,
    Date,
    Boolean,
    Stage,
    Roles,

    /// <summary>A custom field value that could not be read as its declared type; treated as missing.</summary>
    Unparseable,
}
