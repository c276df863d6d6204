namespace PipelineCoach.Scoring.Engine;

internal sealed record CustomFieldSlot(string Name, FactType Type, int Slot);
