using System.Net;
using Microsoft.Extensions.Options;
using PipelineCoach.Cadence.Agendas.Scoring;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>
/// Asks Scoring what a batch of agendas needs: each distinct deal or team once, a few at a time. The first failure
/// gives Scoring up for the rest of the batch (those agendas use local data), so a dead Scoring costs a batch one
/// bounded wait, not one per agenda; the client's circuit breaker carries that across batches.
/// </summary>
internal sealed partial class ScoringLookup(IServiceProvider services, IOptions<ScoringClientOptions> options, ILogger<ScoringLookup> logger)
{
    private int _notConfiguredLogged;

    public async Task<IReadOnlyDictionary<Guid, ScoringAnswer>> AskAsync(IReadOnlyList<FiringOccurrence> occurrences, CancellationToken cancellationToken)
    {
        var answers = new Dictionary<Guid, ScoringAnswer>();
        var needing = occurrences.Where(o => AgendaComposer.NeedOf(o.Kind) != ScoringNeed.None).ToList();
        if (needing.Count == 0)
        {
            return answers;
        }

        if (!options.Value.IsConfigured)
        {
            if (Interlocked.Exchange(ref _notConfiguredLogged, 1) == 0)
            {
                LogNotConfigured(logger);
            }

            return needing.ToDictionary(o => o.Id, _ => ScoringAnswer.NotConfigured);
        }

        // A typed client per batch, not one held for the life of this singleton: the factory rotates its handlers.
        var batch = new Batch(services.GetRequiredService<IScoringApi>(), options.Value.MaxConcurrency, logger, cancellationToken);
        var requests = needing.ToDictionary(o => o.Id, o => batch.Ask(KeyOf(o)));
        await Task.WhenAll(requests.Values);
        foreach (var (id, request) in requests)
        {
            answers[id] = await request;
        }

        return answers;
    }

    /// <summary>What to ask for: a deal's scores, a team's health (a manager with participants), or one rep's.</summary>
    private static string KeyOf(FiringOccurrence occurrence) => AgendaComposer.NeedOf(occurrence.Kind) switch
    {
        ScoringNeed.Scores => occurrence.OpportunityId is { } deal ? $"scores:{deal}" : "none",
        _ => occurrence.ParticipantIds.Count > 0 ? $"team:{occurrence.AssigneeId}" : $"rep:{occurrence.AssigneeId}",
    };

    /// <summary>One batch's requests: deduplicated, bounded in concurrency, and failing fast after the first failure.</summary>
    private sealed class Batch(IScoringApi scoring, int concurrency, ILogger logger, CancellationToken cancellationToken)
    {
        private readonly Dictionary<string, Task<ScoringAnswer>> _requests = new(StringComparer.Ordinal);
        private readonly SemaphoreSlim _slots = new(concurrency, concurrency);
        private volatile bool _failed;

        public Task<ScoringAnswer> Ask(string key)
        {
            if (!_requests.TryGetValue(key, out var request))
            {
                request = _requests[key] = SendAsync(key);
            }

            return request;
        }

        private async Task<ScoringAnswer> SendAsync(string key)
        {
            if (key == "none")
            {
                return ScoringAnswer.NotNeeded;
            }

            await _slots.WaitAsync(cancellationToken);
            try
            {
                if (_failed)
                {
                    return ScoringAnswer.Unavailable;
                }

                var (kind, id) = (key[..key.IndexOf(':', StringComparison.Ordinal)], key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..]);
                return kind switch
                {
                    "scores" => await ScoresAsync(id),
                    "team" => await TeamAsync(id),
                    _ => new ScoringAnswer(ScoringStatus.Answered) { Reps = [await scoring.GetRepHealthAsync(id, cancellationToken)] },
                };
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                if (!_failed)
                {
                    _failed = true;
                    LogUnavailable(logger, exception.GetType().Name, exception.Message);
                }

                return ScoringAnswer.Unavailable;
            }
            finally
            {
                _slots.Release();
            }
        }

        private async Task<ScoringAnswer> ScoresAsync(string opportunityId)
        {
            using var response = await scoring.GetScoresAsync(opportunityId, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return new ScoringAnswer(ScoringStatus.Answered); // not scored yet
            }

            if (!response.IsSuccessStatusCode || response.Content is null)
            {
                throw (Exception?)response.Error ?? new HttpRequestException($"Scoring answered {(int?)response.StatusCode}.", null, response.StatusCode);
            }

            return new ScoringAnswer(ScoringStatus.Answered) { Scores = response.Content };
        }

        private async Task<ScoringAnswer> TeamAsync(string managerId)
        {
            var health = await scoring.GetTeamHealthAsync(managerId, cancellationToken);
            return new ScoringAnswer(ScoringStatus.Answered) { Team = health.Team, Reps = health.Reps };
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scoring:BaseUrl is not set: agendas use this service's own data only (no live scores, criteria, coverage or target accounts)")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scoring did not answer ({ErrorType}: {Error}); this batch's agendas use local data and say so")]
    private static partial void LogUnavailable(ILogger logger, string errorType, string error);
}
