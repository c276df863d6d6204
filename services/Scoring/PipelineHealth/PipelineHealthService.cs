using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Scoring.Scorecards;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>Computes health reports from the store, and announces crossed thresholds once (raised, then cleared).</summary>
internal sealed class PipelineHealthService(
    UnitOfWorkFactory unitOfWork,
    TimeProvider timeProvider,
    ScorecardCatalog catalog,
    IOptions<PipelineHealthOptions> options)
{
    public PipelineHealthOptions Options => options.Value;

    public DateOnly Today() => DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);

    public FiscalPeriod CurrentPeriod() => FiscalPeriod.Containing(Today(), Options.FiscalYearStartMonth);

    public async Task<HealthReport> RepAsync(NpgsqlConnection connection, string ownerId, FiscalPeriod period, CancellationToken cancellationToken)
    {
        var asOf = Today();
        var rep = (await PipelineHealthStore.RepsAsync(connection, [ownerId], period, asOf, Options, cancellationToken))[0];
        var manager = await PipelineHealthStore.ManagerOfAsync(connection, ownerId, cancellationToken);
        var team = manager is null ? [ownerId] : await PipelineHealthStore.TeamAsync(connection, manager, cancellationToken);
        var closed = await PipelineHealthStore.ClosedAsync(connection, team.Count == 0 ? [ownerId] : [.. team.Append(ownerId).Distinct(StringComparer.Ordinal)],
            asOf, Options, cancellationToken);
        var ladder = await LadderAsync(connection, cancellationToken);
        return HealthCalculator.ForRep(WithClosed(rep, closed), period, asOf, HealthCalculator.WinRate(closed, ladder, Options), Options, ladder);
    }

    public async Task<TeamHealthView> TeamAsync(NpgsqlConnection connection, string managerId, FiscalPeriod period, CancellationToken cancellationToken)
    {
        var asOf = Today();
        var members = await PipelineHealthStore.TeamAsync(connection, managerId, cancellationToken);
        var reps = await PipelineHealthStore.RepsAsync(connection, members, period, asOf, Options, cancellationToken);
        var closed = await PipelineHealthStore.ClosedAsync(connection, members, asOf, Options, cancellationToken);
        var ladder = await LadderAsync(connection, cancellationToken);
        var history = HealthCalculator.WinRate(closed, ladder, Options);
        return new TeamHealthView(
            HealthCalculator.ForTeam(managerId, reps, period, asOf, history, Options),
            [.. reps.Select(rep => HealthCalculator.ForRep(WithClosed(rep, closed), period, asOf, history, Options, ladder))]);
    }

    /// <summary>Normal stage durations from the org's closed deals over the look-back, else the scorecard's.</summary>
    public async Task<IReadOnlyList<StageDuration>> StageDurationsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var closed = await PipelineHealthStore.ClosedAsync(connection, null, Today(), Options, cancellationToken);
        var ladder = await LadderAsync(connection, cancellationToken);
        return StageDurations.Compute(closed, ladder, Options.MinStageDurationSamples);
    }

    /// <summary>The open stages of the active qualification scorecard, in order, with their normal durations.</summary>
    private async Task<StageLadder> LadderAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var active = await catalog.ActiveAsync(connection, transaction: null, cancellationToken);
        var scorecard = active.FirstOrDefault(s => s.Id == Options.QualificationScorecardId);
        return scorecard is null ? StageLadder.Empty : new StageLadder(scorecard.Definition.Stages);
    }

    private static RepInputs WithClosed(RepInputs rep, IReadOnlyList<ClosedDeal> closed) =>
        rep with { Closed = [.. closed.Where(d => d.OwnerId == rep.OwnerId)] };

    /// <summary>
    /// Evaluates every rep and team for the current period and publishes <see cref="PipelineHealthChanged"/> for each
    /// condition whose state changed since it was last announced. An advisory lock keeps instances from evaluating
    /// together, and each transition is a conditional update, so a condition is announced once.
    /// </summary>
    public async Task<int> EvaluateAllAsync(CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (!await work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT pg_try_advisory_xact_lock(7215066412)", transaction: work.Transaction, cancellationToken: cancellationToken)))
        {
            return 0;
        }

        var period = CurrentPeriod();
        await PipelineHealthStore.RecordActivityDaysAsync(work.Connection, work.Transaction, Today(), Options, cancellationToken);
        var (reps, managers) = await PipelineHealthStore.SubjectsAsync(work.Connection, period.Name, cancellationToken);
        var reports = new List<HealthReport>();
        foreach (var rep in reps)
        {
            reports.Add(await RepAsync(work.Connection, rep, period, cancellationToken));
        }

        foreach (var manager in managers)
        {
            reports.Add((await TeamAsync(work.Connection, manager, period, cancellationToken)).Team);
        }

        var announced = 0;
        var now = timeProvider.GetUtcNow();
        foreach (var report in reports)
        {
            foreach (var condition in report.Conditions)
            {
                var key = $"{condition.Condition}:{report.SubjectKind}:{report.SubjectId}:{report.Period}";
                // First sight of a condition that is not raised is recorded silently; only transitions are news.
                var transitioned = await work.Connection.ExecuteScalarAsync<bool?>(new CommandDefinition(
                    """
                    INSERT INTO health_conditions (business_key, subject_kind, subject_id, period, condition, is_raised, value, threshold, changed_at)
                    VALUES (@key, @SubjectKind, @SubjectId, @Period, @Condition, @IsRaised, @Value, @Threshold, @now)
                    ON CONFLICT (business_key) DO UPDATE SET is_raised = EXCLUDED.is_raised, value = EXCLUDED.value,
                        threshold = EXCLUDED.threshold, changed_at = EXCLUDED.changed_at
                    WHERE health_conditions.is_raised <> EXCLUDED.is_raised
                    RETURNING (xmax = 0) = false OR is_raised
                    """,
                    new { key, report.SubjectKind, report.SubjectId, report.Period, condition.Condition, condition.IsRaised, condition.Value, condition.Threshold, now },
                    work.Transaction, cancellationToken: cancellationToken));
                if (transitioned == true)
                {
                    announced++;
                    await work.PublishAsync(new PipelineHealthChanged
                    {
                        BusinessKey = key,
                        SubjectKind = report.SubjectKind,
                        SubjectId = report.SubjectId,
                        Period = report.Period,
                        Condition = condition.Condition,
                        IsRaised = condition.IsRaised,
                        Value = condition.Value,
                        Threshold = condition.Threshold,
                        OccurredAt = now,
                        Reason = condition.Reason,
                    }, cancellationToken);
                }
            }
        }

        await work.CommitAsync(cancellationToken);
        return announced;
    }
}
