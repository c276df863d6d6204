using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Scoring.LoadTest;

/// <summary>Varied, deterministic open opportunities: every stage, fields present or missing, slips, stalls, discounts, 0–4 roles.</summary>
internal static class SampleOpportunities
{
    private static readonly string[] Stages =
        ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review"];

    private static readonly string?[] Roles = ["Economic Buyer", "Decision Maker", "Champion", "Technical Buyer", "Influencer", null];

    public static string Id(int i) => $"006{i:D12}AAA";

    public static string Owner(int i) => $"005{i % 200:D12}AAA";

    public static OpportunityChanged Create(int i, DateTimeOffset version, DateOnly today, int variant = 0)
    {
        var h = (uint)HashCode.Combine(i, 17);
        bool Bit(int n) => ((h >> n) & 1) == 1;
        var fields = new Dictionary<string, string?>();
        if (Bit(0))
        {
            fields["Compelling_Event_Date__c"] = today.AddDays(40 + (int)(h % 50)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (Bit(1))
        {
            fields["Identified_Pain__c"] = "Manual reconciliation costs two FTEs";
        }

        if (Bit(2))
        {
            fields["Economic_Buyer__c"] = "Dana (CFO)";
        }

        if (Bit(3))
        {
            fields["Decision_Process__c"] = "Security review, then board";
            fields["Decision_Criteria__c"] = "Time to value";
        }

        if (Bit(4))
        {
            fields["Discount_Percent__c"] = (h % 35).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        fields["Metrics__c"] = Bit(5) ? "Save $400k a year" : null;
        fields["Champion__c"] = Bit(6) ? "Sam (VP Ops)" : null;
        fields["Competition__c"] = Bit(7) ? "do nothing" : null;
        fields["Pipeline_Notes__c"] = $"variant {variant}";

        var roles = Enumerable.Range(0, (int)(h >> 8) % 5)
            .Select(r => new ContactRoleSnapshot { ContactId = $"003{i:D10}{r:D2}AAA", Role = Roles[(r + (int)(h >> 12)) % Roles.Length], IsPrimary = r == 0 })
            .ToList();
        var stage = Stages[(h >> 16) % Stages.Length];
        return new OpportunityChanged
        {
            OpportunityId = Id(i),
            OrganizationId = "00D000000000001EAA",
            SourceVersion = version,
            OccurredAt = version,
            Source = "load-test",
            ChangeType = "UPDATE",
            ChangedFields = ["Pipeline_Notes__c"],
            Opportunity = new OpportunitySnapshot
            {
                Id = Id(i),
                Name = $"Load deal {i}",
                OwnerId = Owner(i),
                AccountId = $"001{i % 5000:D12}AAA",
                StageName = stage,
                Amount = 5_000 + (h % 200) * 1_000,
                Probability = 10 + (h % 80),
                CloseDate = today.AddDays((int)(h % 120) - 10),
                ForecastCategoryName = "Pipeline",
                NextStep = Bit(9) ? "Demo on Tuesday" : Bit(10) ? "Follow up" : null,
                LastActivityDate = Bit(11) ? today.AddDays(-(int)(h % 30)) : null,
                IsClosed = false,
                IsWon = false,
                CreatedDate = version.AddDays(-(int)(h % 200) - 1),
                SystemModstamp = version,
                CustomFields = fields,
            },
            History = new OpportunityHistorySummary
            {
                CloseDatePushCount = (int)(h >> 20) % 5,
                TotalDaysPushed = (int)(h >> 20) % 5 * 25,
                QuarterBoundariesCrossed = (int)(h >> 22) % 3,
                CurrentStageEnteredAt = version.AddDays(-(int)(h >> 24) % 60),
            },
            ContactRoles = roles,
        };
    }
}
