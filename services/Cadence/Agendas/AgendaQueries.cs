using Dapper;
using Npgsql;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>
/// The set-based reads of a batch of agendas: each runs once per batch, for every occurrence that needs it
/// (<c>= ANY(@ids)</c>), on a connection the caller opened from the data source, with no transaction.
/// </summary>
internal static class AgendaQueries
{
    private const string DealColumns =
        """
        o.opportunity_id AS OpportunityId, o.name AS Name, o.owner_id AS OwnerId, o.stage AS Stage, o.amount AS Amount,
        o.close_date AS CloseDate, o.next_step AS NextStep, o.next_step_date AS NextStepDate,
        o.discount_percent AS DiscountPercent, o.is_closed AS IsClosed, o.created_date AS CreatedDate,
        o.stage_entered_at AS StageEnteredAt, s.score AS Score, s.grade AS Grade
        """;

    // The latest score received on any scorecard.
    private const string LatestScore =
        """
        LEFT JOIN LATERAL (
            SELECT score, grade FROM opportunity_scores
            WHERE opportunity_scores.opportunity_id = o.opportunity_id
            ORDER BY occurred_at DESC LIMIT 1) s ON true
        """;

    public static async Task<Dictionary<string, string?>> UserNamesAsync(NpgsqlConnection connection, string[] userIds, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string UserId, string? Name)>(new CommandDefinition(
            "SELECT user_id, name FROM users WHERE user_id = ANY(@userIds)", new { userIds }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.UserId, r => r.Name, StringComparer.Ordinal);
    }

    /// <summary>When each occurrence's cadence last fired before it (occurrences whose cadence never fired are left out).</summary>
    public static async Task<Dictionary<Guid, DateTimeOffset>> PreviousFiredAtAsync(NpgsqlConnection connection, IReadOnlyList<FiringOccurrence> occurrences,
        CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(Guid Id, DateTime FiredAt)>(new CommandDefinition(
            """
            SELECT current.id, previous.fired_at
            FROM unnest(@ids, @cadenceIds, @scheduledAts) AS current(id, cadence_id, scheduled_at)
            CROSS JOIN LATERAL (
                SELECT fired_at FROM occurrences
                WHERE occurrences.cadence_id = current.cadence_id AND occurrences.scheduled_at < current.scheduled_at
                  AND occurrences.fired_at IS NOT NULL
                ORDER BY occurrences.scheduled_at DESC LIMIT 1) previous
            """,
            new
            {
                ids = occurrences.Select(o => o.Id).ToArray(),
                cadenceIds = occurrences.Select(o => o.CadenceId).ToArray(),
                scheduledAts = occurrences.Select(o => o.ScheduledAt.UtcDateTime).ToArray(),
            },
            cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Id, r => new DateTimeOffset(DateTime.SpecifyKind(r.FiredAt, DateTimeKind.Utc)));
    }

    /// <summary>
    /// The deals a batch may list: the event-driven reviews' deals; for huddles, the people's open deals with a next
    /// step on one of the batch's days or a flag raised since the earliest "since"; for weekly reviews, the people's
    /// open early-stage deals and those flagged for review.
    /// </summary>
    public static async Task<List<AgendaDeal>> DealsAsync(NpgsqlConnection connection, DealFilter filter, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<AgendaDeal>(new CommandDefinition(
            $"""
            SELECT {DealColumns}
            FROM opportunities o
            {LatestScore}
            WHERE NOT o.is_deleted AND (
                o.opportunity_id = ANY(@DealIds)
                OR (NOT o.is_closed AND o.owner_id = ANY(@HuddleOwners) AND (
                    o.next_step_date = ANY(@HuddleDays)
                    OR EXISTS (SELECT 1 FROM opportunity_flags f WHERE f.opportunity_id = o.opportunity_id AND f.raised_at > @FlagsSince)))
                OR (NOT o.is_closed AND o.owner_id = ANY(@ReviewOwners) AND (
                    o.stage = ANY(@EarlyStages)
                    OR EXISTS (SELECT 1 FROM opportunity_flags f WHERE f.opportunity_id = o.opportunity_id AND f.flag = ANY(@ReviewFlags)))))
            """,
            filter, cancellationToken: cancellationToken))];

    /// <summary>The raised flags of <paramref name="opportunityIds"/>; a flag raised on two scorecards counts from the first time.</summary>
    public static async Task<List<DealFlag>> FlagsAsync(NpgsqlConnection connection, string[] opportunityIds, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<DealFlag>(new CommandDefinition(
            """
            SELECT opportunity_id AS OpportunityId, flag AS Flag, min(raised_at) AS RaisedAt,
                   (array_agg(reason ORDER BY raised_at) FILTER (WHERE reason IS NOT NULL))[1] AS Reason
            FROM opportunity_flags
            WHERE opportunity_id = ANY(@opportunityIds)
            GROUP BY opportunity_id, flag
            """,
            new { opportunityIds }, cancellationToken: cancellationToken))];

    /// <summary>The health conditions last announced for <paramref name="subjectIds"/> (reps and managers).</summary>
    public static async Task<List<LocalHealthCondition>> ConditionsAsync(NpgsqlConnection connection, string[] subjectIds, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<LocalHealthCondition>(new CommandDefinition(
            """
            SELECT subject_kind AS SubjectKind, subject_id AS SubjectId, period AS Period, condition AS Condition,
                   is_raised AS IsRaised, value AS Value, threshold AS Threshold, reason AS Reason, occurred_at AS OccurredAt
            FROM health_conditions
            WHERE subject_id = ANY(@subjectIds)
            """,
            new { subjectIds }, cancellationToken: cancellationToken))];
}
