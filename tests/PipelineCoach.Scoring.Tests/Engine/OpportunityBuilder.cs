using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Scoring.Tests.Engine;

/// <summary>Hand-builds <see cref="OpportunityChanged"/> messages for scoring tests; every field starts unset.</summary>
internal sealed class OpportunityBuilder
{
    public static readonly DateOnly AsOf = new(2025, 3, 14);

    private readonly Dictionary<string, string?> customFields = new(StringComparer.Ordinal);
    private readonly List<ContactRoleSnapshot> contactRoles = [];
    private OpportunitySnapshot opportunity = new()
    {
        Id = "006000000000001AAA",
        StageName = "Prospecting",
        IsClosed = false,
        IsWon = false,
        CreatedDate = new DateTimeOffset(2025, 3, 10, 9, 0, 0, TimeSpan.Zero),
        LastActivityDate = AsOf,
        CloseDate = AsOf.AddDays(60),
    };

    private OpportunityHistorySummary history = new() { CurrentStageEnteredAt = new DateTimeOffset(2025, 3, 10, 9, 0, 0, TimeSpan.Zero) };

    public static OpportunityBuilder Open() => new();

    public OpportunityBuilder InStage(string stage)
    {
        opportunity = opportunity with { StageName = stage };
        return this;
    }

    public OpportunityBuilder Closed(bool won)
    {
        opportunity = opportunity with { StageName = won ? "Closed Won" : "Closed Lost", IsClosed = true, IsWon = won };
        return this;
    }

    public OpportunityBuilder With(Func<OpportunitySnapshot, OpportunitySnapshot> change)
    {
        opportunity = change(opportunity);
        return this;
    }

    public OpportunityBuilder WithHistory(Func<OpportunityHistorySummary, OpportunityHistorySummary> change)
    {
        history = change(history);
        return this;
    }

    public OpportunityBuilder WithoutHistory()
    {
        history = null!;
        return this;
    }

    public OpportunityBuilder InCurrentStageForDays(int days) =>
        WithHistory(h => h with { CurrentStageEnteredAt = new DateTimeOffset(AsOf.AddDays(-days), TimeOnly.FromTimeSpan(TimeSpan.FromHours(10)), TimeSpan.Zero) });

    public OpportunityBuilder WithField(string apiName, string? value)
    {
        customFields[apiName] = value;
        return this;
    }

    public OpportunityBuilder WithContact(string? role, bool isPrimary = false)
    {
        contactRoles.Add(new ContactRoleSnapshot { ContactId = $"003{contactRoles.Count:D15}", Role = role, IsPrimary = isPrimary });
        return this;
    }

    public OpportunityBuilder WithContacts(params string?[] roles)
    {
        foreach (var role in roles)
        {
            WithContact(role);
        }

        return this;
    }

    public OpportunityChanged Build() => new()
    {
        OpportunityId = opportunity.Id,
        OrganizationId = "00D000000000001EAA",
        SourceVersion = new DateTimeOffset(2025, 3, 14, 8, 0, 0, TimeSpan.Zero),
        OccurredAt = new DateTimeOffset(2025, 3, 14, 8, 0, 0, TimeSpan.Zero),
        Source = "webhook",
        ChangeType = "UPDATE",
        ChangedFields = [],
        Opportunity = opportunity with { CustomFields = new Dictionary<string, string?>(customFields) },
        History = history,
        ContactRoles = [.. contactRoles],
    };
}
