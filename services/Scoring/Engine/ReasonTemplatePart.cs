namespace PipelineCoach.Scoring.Engine;

/// <summary>One piece of a flag's reason template: literal text, or a <c>{Fact}</c> placeholder.</summary>
public readonly record struct ReasonTemplatePart(string Text, bool IsPlaceholder);
