using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.Cadence.Agendas;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Contracts.Cadence;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Cadence.Ledger;

/// <summary>
/// Fires due slots exactly once across any number of instances. A round claims due slots with
/// <c>FOR UPDATE SKIP LOCKED</c> as a lease (a short transaction), resolves teams and builds agendas with no
/// transaction open, then in one transaction moves the slots it still holds to <c>due</c> (or <c>skipped</c>, misfire)
/// and writes their <see cref="CadenceOccurrenceDue"/> outbox rows. An instance killed mid-round loses nothing: its
/// lease runs out and another instance takes the slots; the status check in the last step means a slot is never
/// published twice. Due occurrences whose window passed become <c>missed</c> with <see cref="CadenceOccurrenceMissed"/>.
/// </summary>
internal sealed partial class OccurrenceClaimer(
    NpgsqlDataSource dataSource,
    UnitOfWorkFactory unitOfWork,
    IAgendaBuilder agendas,
    LedgerSignal signal,
    LedgerMetrics metrics,
    IOptions<CadenceOptions> options,
    TimeProvider timeProvider,
    ILogger<OccurrenceClaimer> logger) : BackgroundService
{
    /// <summary>Tells this instance's leases apart from every other instance's (several may share a process in tests).</summary>
    public string InstanceId { get; } = LeaseClaim.NewClaimerId();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await FireDueAsync(stoppingToken) == options.Value.ClaimBatchSize;
                busy |= await MarkMissedAsync(stoppingToken) == options.Value.ClaimBatchSize;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(ex);
            }

            if (!busy)
            {
                await signal.Claim.WaitAsync(options.Value.ClaimInterval, stoppingToken);
            }
        }
    }

    /// <summary>One round: claims up to a batch of due slots and fires them; returns how many were claimed.</summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var claimed = await ClaimAsync(now, cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        var cadences = await CadencesAsync(claimed, now, cancellationToken);
        var definitions = cadences.Values.ToDictionary(c => c.Id, c => CadenceJson.DeserializeDefinition(c.Definition));
        var teams = await TeamsAsync(claimed, definitions, cancellationToken);
        var firing = new List<FiringOccurrence>(claimed.Count);
        var plans = new List<Plan>(claimed.Count);
        foreach (var occurrence in claimed)
        {
            var definition = definitions[occurrence.CadenceId];
            var scheduledAt = new DateTimeOffset(occurrence.ScheduledAt, TimeSpan.Zero);
            var fires = !definition.IsRecurring
                || MisfireRule.Fires(definition.Misfire!, scheduledAt, new DateTimeOffset(occurrence.DueBy, TimeSpan.Zero), new DateTimeOffset(cadences[occurrence.CadenceId].LatestDueSlot, TimeSpan.Zero), now);
            var participants = definition.Target is { Type: TargetSpec.Team, ManagerId: { } manager }
                ? teams.GetValueOrDefault(manager, [])
                : occurrence.ParticipantIds;
            var assignee = occurrence.AssigneeId ?? definition.Target?.AssigneeId ?? "";
            plans.Add(new Plan(occurrence, cadences[occurrence.CadenceId].Name, fires, assignee, participants));
            if (fires)
            {
                firing.Add(new FiringOccurrence(occurrence.Id, occurrence.CadenceId, occurrence.Kind, assignee, participants,
                    occurrence.OpportunityId, scheduledAt, occurrence.TimeZone));
            }
        }

        var built = await BuildAgendasAsync(firing, cancellationToken);
        await FireAsync(plans, built, now, cancellationToken);
        return claimed.Count;
    }

    private static readonly LeaseClaim DueSlots = new(
        Table: "occurrences",
        Key: "id",
        Due: "status = 'scheduled' AND scheduled_at <= @now",
        OrderBy: "scheduled_at",
        Select: """
            id, cadence_id AS CadenceId, kind, opportunity_id AS OpportunityId, assignee_id AS AssigneeId,
            participant_ids AS ParticipantIds, scheduled_at AS ScheduledAt, local_start AS LocalStart, time_zone AS TimeZone,
            due_by AS DueBy
            """);

    private async Task<List<ClaimedOccurrence>> ClaimAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var claimed = await DueSlots.ClaimAsync<ClaimedOccurrence>(dataSource, InstanceId, now, options.Value.ClaimLease, options.Value.ClaimBatchSize, cancellationToken);
        metrics.ClaimDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return claimed;
    }

    /// <summary>
    /// The claimed slots' cadences, read after the lease commits (the claim transaction stays short), each with its
    /// latest slot already due: the misfire rule fires only that one late under <c>fire-once</c>.
    /// </summary>
    private async Task<Dictionary<Guid, ClaimedCadence>> CadencesAsync(List<ClaimedOccurrence> claimed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClaimedCadence>(new CommandDefinition(
            """
            SELECT c.id, c.name, c.definition::text AS Definition,
                (SELECT max(s.scheduled_at) FROM occurrences s WHERE s.cadence_id = c.id AND s.scheduled_at <= @now) AS LatestDueSlot
            FROM cadences c WHERE c.id = ANY(@ids)
            """, new { now = now.UtcDateTime, ids = claimed.Select(o => o.CadenceId).Distinct().ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(c => c.Id);
    }

    /// <summary>The active direct reports of each team's manager, as the hierarchy stands now.</summary>
    private async Task<Dictionary<string, string[]>> TeamsAsync(
        List<ClaimedOccurrence> claimed, Dictionary<Guid, CadenceDefinition> definitions, CancellationToken cancellationToken)
    {
        var managers = definitions.Values
            .Where(d => d.IsRecurring && d.Target is { Type: TargetSpec.Team, ManagerId: not null })
            .Select(d => d.Target!.ManagerId!).Distinct().ToArray();
        if (managers.Length == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var reports = await connection.QueryAsync<(string UserId, string ManagerId)>(new CommandDefinition(
            "SELECT user_id, manager_id FROM users WHERE manager_id = ANY(@managers) AND is_active ORDER BY user_id",
            new { managers }, cancellationToken: cancellationToken));
        return reports.GroupBy(r => r.ManagerId).ToDictionary(g => g.Key, g => g.Select(r => r.UserId).ToArray());
    }

    private async Task<IReadOnlyDictionary<Guid, IReadOnlyList<AgendaSection>>> BuildAgendasAsync(List<FiringOccurrence> firing, CancellationToken cancellationToken)
    {
        if (firing.Count == 0)
        {
            return new Dictionary<Guid, IReadOnlyList<AgendaSection>>();
        }

        // The build must end well inside the lease, or another instance would take the slots over and time out the
        // same way, round after round: past half the lease the occurrences fire with the agenda that says why.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(options.Value.ClaimLease / 2);
        try
        {
            return await agendas.BuildAsync(firing, bounded.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The meeting still happens: it fires with an agenda that says why it is empty rather than not at all.
            LogAgendaFailed(ex, firing.Count);
            IReadOnlyList<AgendaSection> unavailable =
                [new AgendaSection { Code = "agenda-unavailable", Title = "Agenda unavailable", Items = [new AgendaItem { Why = "The agenda could not be built from live data when this came due; review the pipeline directly." }] }];
            return firing.ToDictionary(f => f.Id, _ => unavailable);
        }
    }

    private async Task FireAsync(List<Plan> plans, IReadOnlyDictionary<Guid, IReadOnlyList<AgendaSection>> built, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var agendaJson = plans.Select(p => p.Fires ? CadenceJson.Serialize(built.GetValueOrDefault(p.Occurrence.Id, [])) : null).ToArray();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var fired = (await work.Connection.QueryAsync<Guid>(new CommandDefinition(
            """
            UPDATE occurrences o SET status = v.status, status_reason = v.reason, agenda = v.agenda::jsonb,
                assignee_id = v.assignee, participant_ids = string_to_array(v.participants, ','),
                fired_at = CASE WHEN v.status = 'due' THEN @now END, claimed_by = NULL, lease_until = NULL
            FROM unnest(@ids, @statuses, @reasons, @agendas, @assignees, @participants) AS v(id, status, reason, agenda, assignee, participants)
            WHERE o.id = v.id AND o.status = 'scheduled' AND o.claimed_by = @InstanceId
            RETURNING o.id
            """,
            new
            {
                now = now.UtcDateTime,
                InstanceId,
                ids = plans.Select(p => p.Occurrence.Id).ToArray(),
                statuses = plans.Select(p => p.Fires ? "due" : "skipped").ToArray(),
                reasons = plans.Select(p => p.Fires ? null : MisfireRule.Reason).ToArray(),
                agendas = agendaJson,
                assignees = plans.Select(p => p.AssigneeId).ToArray(),
                participants = plans.Select(p => string.Join(',', p.ParticipantIds)).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken))).ToHashSet();

        var messages = new List<(Guid, CadenceOccurrenceDue)>(fired.Count);
        var misfired = 0;
        foreach (var plan in plans.Where(p => fired.Contains(p.Occurrence.Id)))
        {
            if (!plan.Fires)
            {
                misfired++;
                continue;
            }

            var occurrence = plan.Occurrence;
            var sections = built.GetValueOrDefault(occurrence.Id, []);
            messages.Add((occurrence.Id, new CadenceOccurrenceDue
            {
                OccurrenceId = occurrence.Id.ToString(),
                CadenceId = occurrence.CadenceId.ToString(),
                Kind = occurrence.Kind,
                AssigneeId = plan.AssigneeId,
                ScheduledAt = new DateTimeOffset(occurrence.ScheduledAt, TimeSpan.Zero),
                CadenceName = plan.CadenceName,
                ParticipantIds = plan.ParticipantIds,
                OpportunityId = occurrence.OpportunityId,
                LocalStart = occurrence.LocalStart.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                TimeZone = occurrence.TimeZone,
                DueBy = new DateTimeOffset(occurrence.DueBy, TimeSpan.Zero),
                Sections = sections,
                Agenda = AgendaLines.Flatten(sections),
            }));
        }

        if (messages.Count > 0)
        {
            await work.PublishManyAsync(messages, cancellationToken);
        }

        await work.CommitAsync(cancellationToken);
        metrics.Fired.Add(messages.Count);
        metrics.Misfired.Add(misfired);
        if (fired.Count < plans.Count)
        {
            LogLeaseLost(plans.Count - fired.Count);
        }
    }

    /// <summary>Due occurrences whose window has passed become missed, announced once; returns how many.</summary>
    public async Task<int> MarkMissedAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var missed = (await work.Connection.QueryAsync<MissedRow>(new CommandDefinition(
            """
            WITH late AS (
                SELECT id FROM occurrences WHERE status = 'due' AND due_by <= @now
                ORDER BY due_by LIMIT @batch FOR UPDATE SKIP LOCKED)
            UPDATE occurrences o SET status = 'missed', status_reason = 'window-elapsed'
            FROM late, cadences c WHERE o.id = late.id AND c.id = o.cadence_id
            RETURNING o.id, o.cadence_id AS CadenceId, o.kind, o.assignee_id AS AssigneeId, o.scheduled_at AS ScheduledAt,
                o.opportunity_id AS OpportunityId, o.due_by AS DueBy, c.name AS CadenceName
            """, new { now = now.UtcDateTime, batch = options.Value.ClaimBatchSize }, work.Transaction, cancellationToken: cancellationToken))).AsList();
        if (missed.Count > 0)
        {
            await work.PublishManyAsync(missed.Select(m => (Guid.CreateVersion7(), new CadenceOccurrenceMissed
            {
                OccurrenceId = m.Id.ToString(),
                CadenceId = m.CadenceId.ToString(),
                Kind = m.Kind,
                AssigneeId = m.AssigneeId ?? "",
                ScheduledAt = new DateTimeOffset(m.ScheduledAt, TimeSpan.Zero),
                OccurredAt = now,
                CadenceName = m.CadenceName,
                OpportunityId = m.OpportunityId,
                DueBy = new DateTimeOffset(m.DueBy, TimeSpan.Zero),
            })).ToList(), cancellationToken);
        }

        await work.CommitAsync(cancellationToken);
        metrics.Missed.Add(missed.Count);
        return missed.Count;
    }

    private sealed record Plan(ClaimedOccurrence Occurrence, string CadenceName, bool Fires, string AssigneeId, IReadOnlyList<string> ParticipantIds);

    private sealed record ClaimedCadence(Guid Id, string Name, string Definition, DateTime LatestDueSlot);

    private sealed record MissedRow(Guid Id, Guid CadenceId, string Kind, string? AssigneeId, DateTime ScheduledAt, string? OpportunityId, DateTime DueBy, string CadenceName);

    [LoggerMessage(Level = LogLevel.Error, Message = "A cadence claim round failed; its leases run out and the slots are claimed again")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Building the agendas of {Count} occurrences failed; they fire with an agenda that says so")]
    private partial void LogAgendaFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} claimed slots were taken over by another instance after their lease ran out; that instance fires them")]
    private partial void LogLeaseLost(int count);
}
