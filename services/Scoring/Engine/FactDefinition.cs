namespace PipelineCoach.Scoring.Engine;

public sealed record FactDefinition(string Name, FactType Type, string Description, FactScope Scope = FactScope.Anywhere);
