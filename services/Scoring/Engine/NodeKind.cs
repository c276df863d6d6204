namespace PipelineCoach.Scoring.Engine;

internal enum NodeKind : byte
{
    Leaf,
    All,
    Any,
}
