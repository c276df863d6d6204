using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>One occurrence being composed: its people, its local day, and the batch's data it reads from.</summary>
internal sealed class AgendaScope(FiringOccurrence occurrence, AgendaData data, ScoringAnswer scoring, CadenceOptions options)
{
    public FiringOccurrence Occurrence { get; } = occurrence;

    public AgendaData Data { get; } = data;

    public ScoringAnswer Scoring { get; } = scoring;

    public CadenceOptions Options { get; } = options;

    /// <summary>The assignee and participants, assignee first, each once.</summary>
    public IReadOnlyList<string> People { get; } = [.. new[] { occurrence.AssigneeId }.Concat(occurrence.ParticipantIds).Distinct(StringComparer.Ordinal)];

    /// <summary>The reps an agenda about reps covers: the participants, or the assignee when there are none.</summary>
    public IReadOnlyList<string> Reps => Occurrence.ParticipantIds.Count > 0 ? Occurrence.ParticipantIds : [Occurrence.AssigneeId];

    /// <summary>The occurrence's day in its own time zone.</summary>
    public DateOnly LocalDate { get; } = AgendaClock.LocalDate(occurrence.ScheduledAt, occurrence.TimeZone);

    /// <summary>The open deals owned by this occurrence's people.</summary>
    public IEnumerable<AgendaDeal> TeamDeals
    {
        get
        {
            var people = People.ToHashSet(StringComparer.Ordinal);
            return Data.Deals.Values.Where(d => !d.IsClosed && d.OwnerId is not null && people.Contains(d.OwnerId));
        }
    }

    public IEnumerable<DealFlag> FlagsOf(string opportunityId) => Data.FlagsByDeal[opportunityId];

    public string? UserName(string? userId) => userId is not null && Data.UserNames.TryGetValue(userId, out var name) ? name : null;

    /// <summary>An item about a deal: its id, name, amount and owner, and why it is on the agenda.</summary>
    public AgendaItem Item(AgendaDeal deal, string code, string why) => new()
    {
        Code = code,
        Why = why,
        OpportunityId = deal.OpportunityId,
        OpportunityName = deal.Name,
        Amount = deal.Amount,
        OwnerId = deal.OwnerId,
        OwnerName = UserName(deal.OwnerId),
    };

    /// <summary>An item about a rep (coverage, target accounts): the rep as owner, no opportunity.</summary>
    public AgendaItem RepItem(string userId, string code, string why) => new()
    {
        Code = code,
        Why = why,
        OwnerId = userId,
        OwnerName = UserName(userId),
    };

    /// <summary>Who a rep is in words, for sentences about them.</summary>
    public string RepLabel(string userId) => UserName(userId) ?? "This rep";
}
