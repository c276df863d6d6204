namespace PipelineCoach.Testing;

/// <summary>A sender or recipient as maildev shows it.</summary>
public sealed record MaildevAddress(string Address, string Name);
