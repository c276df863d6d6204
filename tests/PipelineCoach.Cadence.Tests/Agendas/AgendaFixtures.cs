using PipelineCoach.Cadence.Agendas;
using PipelineCoach.Contracts.Cadence;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Agendas;

/// <summary>Occurrences, deals and flags for composer tests: a manager with two reps, at the test clock's instant.</summary>
internal static class AgendaFixtures
{
    public const string Manager = "005000000000000MGR";
    public const string Ana = "005000000000000ANA";
    public const string Ben = "005000000000000BEN";

    public static readonly DateTimeOffset Now = TestClock.Now;

    public static FiringOccurrence Occurrence(string kind, string? opportunityId = null, string timeZone = "UTC", DateTimeOffset? at = null) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), kind, Manager, opportunityId is null ? [Ana, Ben] : [Ana], opportunityId, at ?? Now, timeZone);

    public static AgendaDeal Deal(string id, string owner = Ana, string stage = "Needs Analysis", decimal amount = 100_000, string? name = null) => new()
    {
        OpportunityId = id,
        Name = name ?? $"Deal {id[^3..]}",
        OwnerId = owner,
        Stage = stage,
        Amount = amount,
        CloseDate = TestClock.Today.AddDays(40),
        StageEnteredAt = Now.UtcDateTime.AddDays(-6),
        Score = 55,
        Grade = "C",
    };

    public static DealFlag Flag(string opportunityId, string flag, DateTimeOffset raisedAt, string? reason = null) =>
        new() { OpportunityId = opportunityId, Flag = flag, RaisedAt = raisedAt.UtcDateTime, Reason = reason };

    public static AgendaData Data(IEnumerable<AgendaDeal> deals, IEnumerable<DealFlag>? flags = null, IReadOnlyDictionary<Guid, DateTimeOffset>? previous = null,
        IEnumerable<LocalHealthCondition>? conditions = null) => new()
    {
        UserNames = new Dictionary<string, string?> { [Manager] = "Maria Manager", [Ana] = "Ana Rep", [Ben] = "Ben Rep" },
        Deals = deals.ToDictionary(d => d.OpportunityId),
        FlagsByDeal = (flags ?? []).ToLookup(f => f.OpportunityId),
        ConditionsBySubject = (conditions ?? []).ToLookup(c => c.SubjectId),
        PreviousFiredAt = previous ?? new Dictionary<Guid, DateTimeOffset>(),
    };

    public static IReadOnlyList<AgendaSection> Compose(FiringOccurrence occurrence, AgendaData data, ScoringAnswer? scoring = null) =>
        AgendaComposer.Compose(new AgendaScope(occurrence, data, scoring ?? ScoringAnswer.NotNeeded, new CadenceOptions()));

    public static AgendaSection Section(this IReadOnlyList<AgendaSection> sections, string code) =>
        sections.SingleOrDefault(s => s.Code == code) ?? throw new AssertionException($"no section '{code}' in [{string.Join(", ", sections.Select(s => s.Code))}]");

    /// <summary>No API field names in what people read (e.g. Economic_Buyer__c, StageName).</summary>
    public static void AssertReadable(IReadOnlyList<AgendaSection> sections)
    {
        foreach (var item in sections.SelectMany(s => s.Items))
        {
            Assert.That(item.Why, Does.Not.Match(@"__c|\b(Derived|History|ContactRoles|Criteria)\.|\bNotMet\b"), $"field-like words in: {item.Why}");
            Assert.That(item.Why, Does.EndWith("."), item.Why);
        }
    }
}
