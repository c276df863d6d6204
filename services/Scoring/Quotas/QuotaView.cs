namespace PipelineCoach.Scoring.Quotas;

internal sealed record QuotaView(string OwnerId, string Period, decimal Amount, DateOnly PeriodStart, DateOnly PeriodEnd, DateTimeOffset UpdatedAt, string? UpdatedBy);
