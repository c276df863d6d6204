using Npgsql;
using NpgsqlTypes;

namespace PipelineCoach.Cadence.LoadTest;

/// <summary>Binary COPY of the read model and the ledger, as the consumers and the materializer would have left them.</summary>
internal static class Seed
{
    public static async Task UsersAsync(NpgsqlConnection connection, IEnumerable<Org.UserRow> users, DateTimeOffset version)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY users (user_id, name, email, manager_id, time_zone, is_active, source_version) FROM STDIN (FORMAT BINARY)");
        foreach (var user in users)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(user.UserId, NpgsqlDbType.Text);
            await copy.WriteAsync(user.Name, NpgsqlDbType.Text);
            await copy.WriteAsync($"{user.UserId}@example.com", NpgsqlDbType.Text);
            await WriteNullableAsync(copy, user.ManagerId, NpgsqlDbType.Text);
            await copy.WriteAsync(user.TimeZone, NpgsqlDbType.Text);
            await copy.WriteAsync(true, NpgsqlDbType.Boolean);
            await copy.WriteAsync(version.UtcDateTime, NpgsqlDbType.TimestampTz);
        }

        await copy.CompleteAsync();
    }

    public static async Task OpportunitiesAsync(NpgsqlConnection connection, IEnumerable<Org.OpportunityRow> opportunities, DateTimeOffset version)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            """
            COPY opportunities (opportunity_id, name, account_id, owner_id, stage, amount, close_date, next_step, next_step_date,
                discount_percent, created_date, stage_entered_at, source_version) FROM STDIN (FORMAT BINARY)
            """);
        foreach (var o in opportunities)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(o.OpportunityId, NpgsqlDbType.Text);
            await copy.WriteAsync(o.Name, NpgsqlDbType.Text);
            await copy.WriteAsync(o.AccountId, NpgsqlDbType.Text);
            await copy.WriteAsync(o.OwnerId, NpgsqlDbType.Text);
            await copy.WriteAsync(o.Stage, NpgsqlDbType.Text);
            await copy.WriteAsync(o.Amount, NpgsqlDbType.Numeric);
            await copy.WriteAsync(o.CloseDate, NpgsqlDbType.Date);
            await copy.WriteAsync(o.NextStep, NpgsqlDbType.Text);
            await copy.WriteAsync(o.NextStepDate, NpgsqlDbType.Date);
            await WriteNullableAsync(copy, o.DiscountPercent, NpgsqlDbType.Numeric);
            await copy.WriteAsync(o.CreatedDate.UtcDateTime, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(o.StageEnteredAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(version.UtcDateTime, NpgsqlDbType.TimestampTz);
        }

        await copy.CompleteAsync();
    }

    public static async Task CadencesAsync(NpgsqlConnection connection, IEnumerable<CadenceRow> cadences, DateTimeOffset now)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            """
            COPY cadences (id, kind, name, definition, is_recurring, target_type, target_id, materialized_until, created_at, updated_at)
            FROM STDIN (FORMAT BINARY)
            """);
        foreach (var c in cadences)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(c.Id, NpgsqlDbType.Uuid);
            await copy.WriteAsync(c.Kind, NpgsqlDbType.Text);
            await copy.WriteAsync(c.Name, NpgsqlDbType.Text);
            await copy.WriteAsync(c.Definition, NpgsqlDbType.Jsonb);
            await copy.WriteAsync(true, NpgsqlDbType.Boolean);
            await copy.WriteAsync(c.TargetType, NpgsqlDbType.Text);
            await copy.WriteAsync(c.TargetId, NpgsqlDbType.Text);
            await WriteNullableAsync(copy, c.MaterializedUntil?.UtcDateTime, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(now.UtcDateTime, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(now.UtcDateTime, NpgsqlDbType.TimestampTz);
        }

        await copy.CompleteAsync();
    }

    public static async Task OccurrencesAsync(NpgsqlConnection connection, IEnumerable<OccurrenceRow> occurrences, DateTimeOffset now)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            """
            COPY occurrences (id, cadence_id, slot_key, kind, assignee_id, scheduled_at, local_start, time_zone, due_by, status, fired_at, created_at)
            FROM STDIN (FORMAT BINARY)
            """);
        foreach (var o in occurrences)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(o.Id, NpgsqlDbType.Uuid);
            await copy.WriteAsync(o.CadenceId, NpgsqlDbType.Uuid);
            await copy.WriteAsync(SlotKey(o.ScheduledAt), NpgsqlDbType.Text);
            await copy.WriteAsync(o.Kind, NpgsqlDbType.Text);
            await copy.WriteAsync(o.AssigneeId, NpgsqlDbType.Text);
            await copy.WriteAsync(o.ScheduledAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(o.LocalStart, NpgsqlDbType.Timestamp);
            await copy.WriteAsync(o.TimeZone, NpgsqlDbType.Text);
            await copy.WriteAsync(o.DueBy.UtcDateTime, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(o.Status, NpgsqlDbType.Text);
            await WriteNullableAsync(copy, o.FiredAt?.UtcDateTime, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(now.UtcDateTime, NpgsqlDbType.TimestampTz);
        }

        await copy.CompleteAsync();
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type) =>
        value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, type);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, decimal? value, NpgsqlDbType type) =>
        value is { } v ? copy.WriteAsync(v, type) : copy.WriteNullAsync();

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, DateTime? value, NpgsqlDbType type) =>
        value is { } v ? copy.WriteAsync(v, type) : copy.WriteNullAsync();

    /// <summary>A slot's key as the materializer writes it (its UTC instant), so materialising again would hit the same row.</summary>
    private static string SlotKey(DateTimeOffset utcStart) =>
        utcStart.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    internal sealed record CadenceRow(Guid Id, string Kind, string Name, string Definition, string TargetType, string TargetId, DateTimeOffset? MaterializedUntil);

    internal sealed record OccurrenceRow(
        Guid Id, Guid CadenceId, string Kind, string AssigneeId, DateTimeOffset ScheduledAt, DateTime LocalStart, string TimeZone,
        DateTimeOffset DueBy, string Status, DateTimeOffset? FiredAt);
}
