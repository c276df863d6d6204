namespace PipelineCoach.Scoring.Engine;

/// <summary>Evidence as stored and shown: the field read, its value in words, and the rule applied.</summary>
public sealed record EvidenceSnapshot(string Field, string Value, string Rule);
