using System.Globalization;

namespace PipelineCoach.Cadence.LoadTest;

/// <summary>
/// A deterministic sales org: managers, each with a team of reps spread over several zones, each rep owning a few
/// open opportunities (some with a next step due today, some slipped, some large and early). Ids are 18-character
/// Salesforce-style ids.
/// </summary>
internal sealed class Org(int managers, int repsPerManager, int opportunitiesPerRep, string[] zones)
{
    private static readonly string[] Stages =
        ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review"];

    public int Managers => managers;

    public int Reps => managers * repsPerManager;

    public int OpportunitiesPerRep => opportunitiesPerRep;

    public static string ManagerId(int manager) => string.Create(CultureInfo.InvariantCulture, $"005M{manager:D11}AAA");

    public static string RepId(int rep) => string.Create(CultureInfo.InvariantCulture, $"005R{rep:D11}AAA");

    public static string OpportunityId(int opportunity) => string.Create(CultureInfo.InvariantCulture, $"006O{opportunity:D11}AAA");

    public int ManagerOf(int rep) => rep / repsPerManager;

    public string ManagerZone(int manager) => zones[manager % zones.Length];

    /// <summary>Teams span zones: a rep's zone is picked apart from their manager's.</summary>
    public string RepZone(int rep) => zones[(rep * 7 + rep / repsPerManager) % zones.Length];

    /// <summary>The zone of a user this org made (a manager's or a rep's id).</summary>
    public string ZoneOf(string userId)
    {
        var number = int.Parse(userId.AsSpan(4, 11), CultureInfo.InvariantCulture);
        return userId[3] == 'M' ? ManagerZone(number) : RepZone(number);
    }

    public IEnumerable<UserRow> Users()
    {
        for (var m = 0; m < managers; m++)
        {
            yield return new UserRow(ManagerId(m), $"Manager {m}", null, ManagerZone(m));
        }

        for (var r = 0; r < Reps; r++)
        {
            yield return new UserRow(RepId(r), $"Rep {r}", ManagerId(ManagerOf(r)), RepZone(r));
        }
    }

    public IEnumerable<OpportunityRow> Opportunities(DateOnly today, DateTimeOffset now)
    {
        for (var r = 0; r < Reps; r++)
        {
            for (var k = 0; k < opportunitiesPerRep; k++)
            {
                var n = r * opportunitiesPerRep + k;
                var stage = Stages[n % Stages.Length];
                yield return new OpportunityRow(
                    OpportunityId(n),
                    $"Account {n / 3} — {stage} deal {n}",
                    string.Create(CultureInfo.InvariantCulture, $"001A{n / 3:D11}AAA"),
                    RepId(r),
                    stage,
                    (n % 40 + 1) * 5_000m,
                    // One in five has slipped (close date passed), the rest close in the next quarter.
                    n % 5 == 0 ? today.AddDays(-(n % 20) - 1) : today.AddDays(n % 90 + 1),
                    n % 3 == 0 ? "Call the economic buyer" : "Send the mutual action plan",
                    // A third have their next step due today, a few are overdue.
                    n % 3 == 0 ? today : n % 7 == 0 ? today.AddDays(-2) : today.AddDays(n % 10 + 1),
                    n % 8 == 7 ? 12.5m : null,
                    now.AddDays(-(n % 120) - 1),
                    now.AddDays(-(n % 30) - 1));
            }
        }
    }

    internal sealed record UserRow(string UserId, string Name, string? ManagerId, string TimeZone);

    internal sealed record OpportunityRow(
        string OpportunityId, string Name, string AccountId, string OwnerId, string Stage, decimal Amount, DateOnly CloseDate,
        string NextStep, DateOnly NextStepDate, decimal? DiscountPercent, DateTimeOffset CreatedDate, DateTimeOffset StageEnteredAt);
}
