namespace PipelineCoach.Scoring.Engine;

public enum FactType
{
    Number,
    Text,
    Date,
    Boolean,
    Stage,
    RoleSet,
}
