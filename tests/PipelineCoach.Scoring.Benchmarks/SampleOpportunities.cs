using System.Globalization;
using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Scoring.Benchmarks;

/// <summary>A seeded, varied open pipeline: every stage, missing and present fields, slips, stalls, discounts.</summary>
public static class SampleOpportunities
{
    public static readonly DateOnly AsOf = new(2025, 3, 14);

    private static readonly string[] Stages =
    [
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
        "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review",
    ];

    private static readonly string?[] Roles = ["Economic Buyer", "Decision Maker", "Champion", "Technical Buyer", "Influencer", null];

    public static OpportunityChanged[] Create(int count, int seed = 42)
    {
        var random = new Random(seed);
        var result = new OpportunityChanged[count];
        for (var i = 0; i < count; i++)
        {
            string? Maybe(string value) => random.Next(2) == 0 ? value : null;
            var id = $"006{i:D15}";
            var fields = new Dictionary<string, string?>
            {
                ["Compelling_Event_Date__c"] = Maybe(AsOf.AddDays(random.Next(10, 200)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                ["Executive_Sponsor__c"] = Maybe("Dana Whitfield"),
                ["Economic_Buyer__c"] = Maybe("Chris CFO"),
                ["Identified_Pain__c"] = Maybe("Month-end close takes 12 days"),
                ["Decision_Process__c"] = Maybe("IT security review, then CFO"),
                ["Decision_Criteria__c"] = Maybe("SSO, SOC 2"),
                ["Next_Step_Date__c"] = Maybe(AsOf.AddDays(random.Next(-10, 20)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                ["Discount_Percent__c"] = random.Next(4) == 0 ? (random.NextDouble() * 40).ToString("0.##", CultureInfo.InvariantCulture) : null,
                ["Metrics__c"] = Maybe("Close in 4 days"),
                ["Champion__c"] = Maybe("Controller"),
                ["Competition__c"] = Maybe("Spreadsheets"),
            };
            var roles = Enumerable.Range(0, random.Next(0, 5))
                .Select(r => new ContactRoleSnapshot { ContactId = $"003{i:D9}{r:D6}", Role = Roles[random.Next(Roles.Length)] })
                .ToArray();
            result[i] = new OpportunityChanged
            {
                OpportunityId = id,
                OrganizationId = "00D000000000001AAA",
                SourceVersion = new DateTimeOffset(2025, 3, 13, 12, 0, 0, TimeSpan.Zero),
                OccurredAt = new DateTimeOffset(2025, 3, 13, 12, 0, 0, TimeSpan.Zero),
                Source = "reconcile",
                ChangeType = "SNAPSHOT",
                ChangedFields = [],
                Opportunity = new OpportunitySnapshot
                {
                    Id = id,
                    StageName = Stages[random.Next(Stages.Length)],
                    Amount = random.Next(5_000, 500_000),
                    CloseDate = AsOf.AddDays(random.Next(-20, 180)),
                    NextStep = random.Next(3) switch { 0 => null, 1 => "Follow up", _ => "Demo on Tuesday" },
                    LastActivityDate = random.Next(5) == 0 ? null : AsOf.AddDays(-random.Next(0, 40)),
                    CreatedDate = new DateTimeOffset(AsOf.AddDays(-random.Next(5, 300)), TimeOnly.MinValue, TimeSpan.Zero),
                    IsClosed = false,
                    IsWon = false,
                    CustomFields = fields,
                },
                History = new OpportunityHistorySummary
                {
                    CloseDatePushCount = random.Next(0, 5),
                    QuarterBoundariesCrossed = random.Next(0, 3),
                    TotalDaysPushed = random.Next(0, 200),
                    CurrentStageEnteredAt = new DateTimeOffset(AsOf.AddDays(-random.Next(0, 90)), TimeOnly.MinValue, TimeSpan.Zero),
                },
                ContactRoles = roles,
            };
        }

        return result;
    }
}
