using Dapper;
using Npgsql;
using NpgsqlTypes;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Scoring.Scores;

/// <summary>Current scores and score history; set-based so a batch of messages or a rescoring chunk is one round trip each.</summary>
internal static class ScoreStore
{
    private const string StoredColumns = """
        opportunity_id AS OpportunityId, scorecard_id AS ScorecardId, scorecard_version AS ScorecardVersion, owner_id AS OwnerId,
        source_version AS SourceVersion, as_of AS AsOf, score AS Score, grade AS Grade, flags AS Flags, statuses AS Statuses,
        scored_at AS ScoredAt, override_score AS OverrideScore, override_grade AS OverrideGrade, override_reason AS OverrideReason,
        override_by AS OverrideBy, override_at AS OverrideAt
        """;

    public static async Task<Dictionary<(string, string), StoredScore>> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        IReadOnlyCollection<string> opportunityIds, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<StoredScore>(new CommandDefinition(
            // One index lookup per id, locked in the order given. "= ANY(...)" let the planner choose a sequential scan
            // whenever the table had grown since it was last analysed (a burst, a first sync), and every batch then
            // read every score.
            $"""
            SELECT s.* FROM unnest(@ids::bpchar[]) AS wanted(wanted_id)
            CROSS JOIN LATERAL (SELECT {StoredColumns} FROM scores WHERE opportunity_id = wanted_id FOR UPDATE) AS s
            """,
            new { ids = opportunityIds.ToArray() }, transaction, cancellationToken: cancellationToken));
        return rows.ToDictionary(row => (row.OpportunityId, row.ScorecardId));
    }

    public static async Task<IReadOnlyList<StoredScore>> ForOpportunityAsync(NpgsqlConnection connection, string opportunityId, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<StoredScore>(new CommandDefinition(
            $"SELECT {StoredColumns} FROM scores WHERE opportunity_id = @opportunityId::bpchar ORDER BY scorecard_id",
            new { opportunityId }, cancellationToken: cancellationToken))];

    /// <summary>
    /// Upserts the scores (never over a score computed from a newer opportunity version), records the changed ones in
    /// history and queues an <see cref="OpportunityScored"/> for each. Returns how many changed.
    /// </summary>
    public static async Task<int> WriteAsync(UnitOfWork work, IReadOnlyList<ScoreOutcome> outcomes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return 0;
        }

        var written = await UpsertAsync(work, outcomes, now, cancellationToken);
        var changed = outcomes.Where(o => o.Changed && written.Contains((o.OpportunityId, o.ScorecardId))).ToList();
        if (changed.Count == 0)
        {
            return 0;
        }

        await InsertHistoryAsync(work, changed, now, cancellationToken);
        await work.PublishManyAsync(changed.Select(o => (Guid.CreateVersion7(), ToMessage(o, now))).ToList(), cancellationToken);
        return changed.Count;
    }

    private static async Task<HashSet<(string, string)>> UpsertAsync(UnitOfWork work, IReadOnlyList<ScoreOutcome> outcomes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO scores (opportunity_id, scorecard_id, scorecard_version, owner_id, source_version, as_of, score, grade, flags, statuses, scored_at)
            SELECT o, s, v, w, sv, a, sc, g, string_to_array(f, ','), st, @now
            FROM unnest(@o, @s, @v, @w, @sv, @a, @sc, @g, @f, @st) AS t(o, s, v, w, sv, a, sc, g, f, st)
            ON CONFLICT (opportunity_id, scorecard_id) DO UPDATE SET
                scorecard_version = EXCLUDED.scorecard_version, owner_id = EXCLUDED.owner_id,
                source_version = EXCLUDED.source_version, as_of = EXCLUDED.as_of, score = EXCLUDED.score,
                grade = EXCLUDED.grade, flags = EXCLUDED.flags, statuses = EXCLUDED.statuses, scored_at = EXCLUDED.scored_at
            WHERE {SourceVersionRule.Sql("scores.source_version", "EXCLUDED.source_version")}
            RETURNING opportunity_id, scorecard_id
            """, work.Connection, work.Transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]>("o", outcomes.Select(o => o.OpportunityId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("s", outcomes.Select(o => o.ScorecardId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<int[]>("v", outcomes.Select(o => o.ScorecardVersion).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("w", outcomes.Select(o => o.OwnerId).ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("sv", outcomes.Select(o => o.SourceVersion.ToUniversalTime()).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateOnly[]>("a", outcomes.Select(o => o.AsOf).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<int[]>("sc", outcomes.Select(o => o.Score).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("g", outcomes.Select(o => o.Grade).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("f", outcomes.Select(o => string.Join(',', o.Flags)).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("st", outcomes.Select(o => o.Statuses).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now.ToUniversalTime()));
        var written = new HashSet<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            written.Add((reader.GetString(0), reader.GetString(1)));
        }

        return written;
    }

    /// <summary>History is append-only, so a binary COPY: no SQL to plan, reasons go in as text[] and the breakdown as json.</summary>
    private static async Task InsertHistoryAsync(UnitOfWork work, IReadOnlyList<ScoreOutcome> changed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var copy = await work.Connection.BeginBinaryImportAsync(
            """
            COPY score_history (opportunity_id, scorecard_id, scorecard_version, kind, source_version, score, grade, flags,
                                previous_score, previous_grade, reasons, detail, recorded_at) FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        var recordedAt = now.ToUniversalTime();
        foreach (var outcome in changed)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(outcome.OpportunityId, NpgsqlDbType.Char, cancellationToken);
            await copy.WriteAsync(outcome.ScorecardId, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(outcome.ScorecardVersion, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync("scored", NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(outcome.SourceVersion.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(outcome.Score, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(outcome.Grade, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(outcome.Flags, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await copy.WriteNullableAsync(outcome.Previous?.Score, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteNullableAsync(outcome.Previous?.Grade, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(outcome.Reasons as string[] ?? [.. outcome.Reasons], NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await copy.WriteNullableAsync(outcome.Breakdown, NpgsqlDbType.Json, cancellationToken);
            await copy.WriteAsync(recordedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    public static OpportunityScored ToMessage(ScoreOutcome outcome, DateTimeOffset now)
    {
        var previous = outcome.Previous;
        return new OpportunityScored
        {
            OpportunityId = outcome.OpportunityId,
            OwnerId = outcome.OwnerId,
            SourceVersion = outcome.SourceVersion,
            OccurredAt = now,
            ScorecardId = outcome.ScorecardId,
            ScorecardVersion = outcome.ScorecardVersion,
            Score = previous?.OverrideScore ?? outcome.Score,
            Grade = previous?.OverrideGrade ?? outcome.Grade,
            Flags = outcome.Flags,
            PreviousScore = previous?.EffectiveScore,
            PreviousGrade = previous?.EffectiveGrade,
            PreviousFlags = previous?.Flags ?? [],
            Changes = outcome.Reasons,
            FlagReasons = outcome.FlagReasons,
            Readiness = outcome.Readiness,
            MissingNow = outcome.MissingNow,
            IsOverride = previous?.OverrideScore is not null,
            Cause = outcome.Cause,
        };
    }

    public static async Task<IReadOnlyList<ScoreHistoryRow>> HistoryAsync(NpgsqlConnection connection, string opportunityId, long? beforeId, int limit, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<ScoreHistoryRow>(new CommandDefinition(
            """
            SELECT id AS Id, scorecard_id AS ScorecardId, scorecard_version AS ScorecardVersion, kind AS Kind,
                   source_version AS SourceVersion, score AS Score, grade AS Grade, flags AS Flags,
                   previous_score AS PreviousScore, previous_grade AS PreviousGrade, reasons AS Reasons,
                   detail::text AS Detail, actor AS Actor, recorded_at AS RecordedAt
            FROM score_history
            WHERE opportunity_id = @opportunityId::bpchar AND (@beforeId::bigint IS NULL OR id < @beforeId)
            ORDER BY id DESC LIMIT @limit
            """, new { opportunityId, beforeId, limit }, cancellationToken: cancellationToken))];
}
