using System.Globalization;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.LoadTest;

/// <summary>
/// A deterministic sales org as Sync announces it: directors, their managers, the managers' reps (the recipients of
/// risks), teams spread over several zones, and the reps' open opportunities. Ids are 18-character Salesforce-style ids.
/// </summary>
internal sealed class Org(int reps, int repsPerManager, int managersPerDirector, int opportunities)
{
    public const string OrganizationId = "00D000000000001EAA";

    private static readonly string[] Flags = ["slipping", "stalled", "stale-activity", "single-threaded", "no-next-step", "maverick-discounting"];

    public int Reps => reps;

    public int Managers => (reps + repsPerManager - 1) / repsPerManager;

    public int Directors => (Managers + managersPerDirector - 1) / managersPerDirector;

    public int Users => Directors + Managers + Reps;

    public int Opportunities => opportunities;

    public static string DirectorId(int director) => string.Create(CultureInfo.InvariantCulture, $"005D{director:D11}AAA");

    public static string ManagerId(int manager) => string.Create(CultureInfo.InvariantCulture, $"005M{manager:D11}AAA");

    public static string RepId(int rep) => string.Create(CultureInfo.InvariantCulture, $"005R{rep:D11}AAA");

    public static string OpportunityId(int opportunity) => string.Create(CultureInfo.InvariantCulture, $"006O{opportunity:D11}AAA");

    /// <summary>Opportunities are dealt to reps in turn, so every rep owns about as many.</summary>
    public static int OwnerOf(int opportunity, int reps) => opportunity % reps;

    /// <summary>Teams span zones: a rep's zone is picked apart from their manager's.</summary>
    public string RepZone(int rep) => SeedZones.All[(rep * 7 + rep / repsPerManager) % SeedZones.All.Length];

    public IEnumerable<UserChanged> UserMessages(DateTimeOffset now)
    {
        for (var d = 0; d < Directors; d++)
        {
            yield return User(DirectorId(d), $"Director {d}", null, SeedZones.All[d % SeedZones.All.Length], now);
        }

        for (var m = 0; m < Managers; m++)
        {
            yield return User(ManagerId(m), $"Manager {m}", DirectorId(m / managersPerDirector), SeedZones.All[(m * 3) % SeedZones.All.Length], now);
        }

        for (var r = 0; r < Reps; r++)
        {
            yield return User(RepId(r), $"Rep {r}", ManagerId(r / repsPerManager), RepZone(r), now);
        }
    }

    public IEnumerable<OpportunityChanged> OpportunityMessages(DateTimeOffset now)
    {
        for (var n = 0; n < opportunities; n++)
        {
            var id = OpportunityId(n);
            yield return new OpportunityChanged
            {
                OpportunityId = id, OrganizationId = OrganizationId, SourceVersion = now, OccurredAt = now, Source = "webhook", ChangeType = "created",
                ChangedFields = [],
                Opportunity = new OpportunitySnapshot
                {
                    Id = id, Name = $"Account {n / 3} — deal {n}", Amount = (n % 40 + 1) * 5_000m, OwnerId = RepId(OwnerOf(n, reps)), StageName = "Proposal/Price Quote",
                },
            };
        }
    }

    /// <summary>
    /// Opportunity <paramref name="n"/> rescored after a live change, with one flag newly raised: a new risk each (distinct
    /// deals), as users meet them.
    /// </summary>
    public OpportunityScored Risk(int n, DateTimeOffset now)
    {
        var flag = Flags[n % Flags.Length];
        return new OpportunityScored
        {
            OpportunityId = OpportunityId(n), OwnerId = RepId(OwnerOf(n, reps)), SourceVersion = now, OccurredAt = now,
            ScorecardId = "proactive", ScorecardVersion = 1, Score = 25 + n % 40, Grade = "C", Flags = [flag],
            PreviousScore = 70, PreviousGrade = "C", PreviousFlags = [], Changes = [$"flag '{flag}' raised"], Cause = ScoreCause.Change,
        };
    }

    private static UserChanged User(string id, string name, string? managerId, string zone, DateTimeOffset now) => new()
    {
        UserId = id, OrganizationId = OrganizationId, SourceVersion = now, OccurredAt = now, Name = name,
        Email = $"{name.Replace(' ', '.').ToLowerInvariant()}@example.test", ManagerId = managerId, TimeZone = zone,
    };
}
