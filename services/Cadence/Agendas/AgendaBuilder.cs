using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>
/// Builds a batch of agendas: asks Scoring what the batch needs (no transaction is open), loads the rest set-based
/// (a handful of queries per batch, whatever its size), then composes each occurrence with the pure
/// <see cref="AgendaComposer"/>. Reads open their own connection from the data source.
/// </summary>
internal sealed class AgendaBuilder(NpgsqlDataSource dataSource, ScoringLookup scoring, IOptions<CadenceOptions> options) : IAgendaBuilder
{
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<AgendaSection>>> BuildAsync(IReadOnlyList<FiringOccurrence> occurrences, CancellationToken cancellationToken)
    {
        if (occurrences.Count == 0)
        {
            return new Dictionary<Guid, IReadOnlyList<AgendaSection>>();
        }

        var settings = options.Value;
        var answers = await scoring.AskAsync(occurrences, cancellationToken);
        var data = await LoadAsync(occurrences, answers, settings, cancellationToken);
        return occurrences.ToDictionary(
            o => o.Id,
            o => AgendaComposer.Compose(new AgendaScope(o, data, answers.GetValueOrDefault(o.Id, ScoringAnswer.NotNeeded), settings)));
    }

    private async Task<AgendaData> LoadAsync(IReadOnlyList<FiringOccurrence> occurrences, IReadOnlyDictionary<Guid, ScoringAnswer> answers,
        CadenceOptions settings, CancellationToken cancellationToken)
    {
        var huddles = occurrences.Where(o => IsHuddle(o.Kind)).ToList();
        var reviews = occurrences.Where(o => o.Kind == CadenceKinds.WeeklyPipelineReview).ToList();
        var deals = occurrences.Where(o => o.OpportunityId is not null && IsDealReview(o.Kind)).ToList();
        // The fallback's health alerts, only where Scoring gave no live figures.
        var withoutHealth = occurrences.Where(o => AgendaComposer.NeedOf(o.Kind) == ScoringNeed.Health
            && answers.GetValueOrDefault(o.Id)?.Answered != true).ToList();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var previous = huddles.Count == 0 ? [] : await AgendaQueries.PreviousFiredAtAsync(connection, huddles, cancellationToken);
        var filter = new DealFilter(
            DealIds: [.. deals.Select(o => o.OpportunityId!).Distinct(StringComparer.Ordinal)],
            HuddleOwners: People(huddles),
            HuddleDays: [.. huddles.Select(o => AgendaClock.LocalDate(o.ScheduledAt, o.TimeZone)).Distinct()],
            FlagsSince: huddles.Count == 0 ? DateTime.MaxValue
                : huddles.Min(o => previous.TryGetValue(o.Id, out var fired) ? fired : o.ScheduledAt - HuddleAgenda.FirstLookBack).UtcDateTime,
            ReviewOwners: People(reviews),
            EarlyStages: [.. settings.StageLadder.Take(settings.EarlyStageCount)],
            ReviewFlags: [WeeklyReviewAgenda.SlippingFlag, WeeklyReviewAgenda.StalledFlag, WeeklyReviewAgenda.PrematurePresentationFlag]);
        var loaded = filter.DealIds.Length + filter.HuddleOwners.Length + filter.ReviewOwners.Length == 0
            ? [] : await AgendaQueries.DealsAsync(connection, filter, cancellationToken);
        var flags = loaded.Count == 0 ? [] : await AgendaQueries.FlagsAsync(connection, [.. loaded.Select(d => d.OpportunityId)], cancellationToken);
        var conditions = withoutHealth.Count == 0 ? [] : await AgendaQueries.ConditionsAsync(connection, People(withoutHealth), cancellationToken);
        var names = await AgendaQueries.UserNamesAsync(connection,
            [.. People(occurrences).Concat(loaded.Select(d => d.OwnerId).OfType<string>()).Distinct(StringComparer.Ordinal)], cancellationToken);

        return new AgendaData
        {
            UserNames = names,
            Deals = loaded.ToDictionary(d => d.OpportunityId, StringComparer.Ordinal),
            FlagsByDeal = flags.ToLookup(f => f.OpportunityId, StringComparer.Ordinal),
            ConditionsBySubject = conditions.ToLookup(c => c.SubjectId, StringComparer.Ordinal),
            PreviousFiredAt = previous,
        };
    }

    private static string[] People(IEnumerable<FiringOccurrence> occurrences) =>
        [.. occurrences.SelectMany(o => o.ParticipantIds.Prepend(o.AssigneeId)).Distinct(StringComparer.Ordinal)];

    private static bool IsDealReview(string kind) => AgendaComposer.NeedOf(kind) == ScoringNeed.Scores || kind == CadenceKinds.NegotiationPreparation;

    private static bool IsHuddle(string kind) => AgendaComposer.IsHuddle(kind);
}
