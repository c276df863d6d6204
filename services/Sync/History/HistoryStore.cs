using System.Text.Json;
using Dapper;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.History;

/// <summary>The polled OpportunityHistory rows, and the OpportunityFieldHistory rows of followed date fields.</summary>
public static class HistoryStore
{
    /// <summary>Upserts rows (as returned by SOQL) and returns the ids of the opportunities they belong to.</summary>
    public static async Task<IReadOnlyCollection<string>> UpsertAsync(UnitOfWork work, IReadOnlyList<Dictionary<string, JsonElement>> rows, CancellationToken cancellationToken)
    {
        var parsed = rows.Select(Parse).ToList();
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO opportunity_history (id, opportunity_id, stage_name, close_date, prev_close_date, amount, created_date, system_modstamp)
            SELECT * FROM unnest(@ids, @opportunityIds, @stages, @closeDates::date[], @prevCloseDates::date[], @amounts, @createdDates, @modstamps)
            ON CONFLICT (id) DO UPDATE SET stage_name = EXCLUDED.stage_name, close_date = EXCLUDED.close_date,
                prev_close_date = EXCLUDED.prev_close_date, amount = EXCLUDED.amount, system_modstamp = EXCLUDED.system_modstamp
            """,
            new
            {
                ids = parsed.Select(p => p.Row.Id).ToArray(),
                opportunityIds = parsed.Select(p => p.Row.OpportunityId).ToArray(),
                stages = parsed.Select(p => p.Row.StageName).ToArray(),
                closeDates = parsed.Select(p => p.Row.CloseDate?.ToDateTime(TimeOnly.MinValue)).ToArray(),
                prevCloseDates = parsed.Select(p => p.Row.PrevCloseDate?.ToDateTime(TimeOnly.MinValue)).ToArray(),
                amounts = parsed.Select(p => p.Row.Amount).ToArray(),
                createdDates = parsed.Select(p => p.Row.CreatedDate.UtcDateTime).ToArray(),
                modstamps = parsed.Select(p => p.Modstamp.UtcDateTime).ToArray(),
            },
            work.Transaction,
            cancellationToken: cancellationToken));
        return parsed.Select(p => p.Row.OpportunityId).ToHashSet(StringComparer.Ordinal);
    }

    public static async Task<IReadOnlyList<HistoryRow>> RowsAsync(UnitOfWork work, string opportunityId, CancellationToken cancellationToken)
    {
        var rows = await work.Connection.QueryAsync<(string Id, string OpportunityId, string? StageName, DateTime? CloseDate, DateTime? PrevCloseDate, decimal? Amount, DateTime CreatedDate)>(
            new CommandDefinition(
                """
                SELECT id, opportunity_id, stage_name, close_date, prev_close_date, amount, created_date
                FROM opportunity_history WHERE opportunity_id = @opportunityId::bpchar AND NOT is_deleted
                ORDER BY created_date, id
                """,
                new { opportunityId }, work.Transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new HistoryRow(r.Id, r.OpportunityId, r.StageName,
            r.CloseDate is { } c ? DateOnly.FromDateTime(c) : null,
            r.PrevCloseDate is { } p ? DateOnly.FromDateTime(p) : null,
            r.Amount,
            new DateTimeOffset(DateTime.SpecifyKind(r.CreatedDate, DateTimeKind.Utc))))];
    }

    /// <summary>Upserts <c>OpportunityFieldHistory</c> rows (as returned by SOQL) and returns the ids of the opportunities they belong to.</summary>
    public static async Task<IReadOnlyCollection<string>> UpsertFieldRowsAsync(UnitOfWork work, IReadOnlyList<Dictionary<string, JsonElement>> rows, CancellationToken cancellationToken)
    {
        var parsed = rows.Select(ParseFieldRow).ToList();
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO opportunity_field_history (id, opportunity_id, field, old_date, new_date, created_date)
            SELECT * FROM unnest(@ids, @opportunityIds, @fields, @oldDates::date[], @newDates::date[], @createdDates)
            ON CONFLICT (id) DO UPDATE SET field = EXCLUDED.field, old_date = EXCLUDED.old_date, new_date = EXCLUDED.new_date
            """,
            new
            {
                ids = parsed.Select(p => p.Id).ToArray(),
                opportunityIds = parsed.Select(p => p.OpportunityId).ToArray(),
                fields = parsed.Select(p => p.Field).ToArray(),
                oldDates = parsed.Select(p => p.OldDate?.ToDateTime(TimeOnly.MinValue)).ToArray(),
                newDates = parsed.Select(p => p.NewDate?.ToDateTime(TimeOnly.MinValue)).ToArray(),
                createdDates = parsed.Select(p => p.CreatedDate.UtcDateTime).ToArray(),
            },
            work.Transaction,
            cancellationToken: cancellationToken));
        return parsed.Select(p => p.OpportunityId).ToHashSet(StringComparer.Ordinal);
    }

    public static async Task<IReadOnlyList<FieldHistoryRow>> FieldRowsAsync(UnitOfWork work, string opportunityId, CancellationToken cancellationToken)
    {
        var rows = await work.Connection.QueryAsync<(string Id, string OpportunityId, string Field, DateTime? OldDate, DateTime? NewDate, DateTime CreatedDate)>(
            new CommandDefinition(
                """
                SELECT id, opportunity_id, field, old_date, new_date, created_date
                FROM opportunity_field_history WHERE opportunity_id = @opportunityId::bpchar AND NOT is_deleted
                ORDER BY created_date, id
                """,
                new { opportunityId }, work.Transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new FieldHistoryRow(r.Id, r.OpportunityId, r.Field,
            r.OldDate is { } o ? DateOnly.FromDateTime(o) : null,
            r.NewDate is { } n ? DateOnly.FromDateTime(n) : null,
            new DateTimeOffset(DateTime.SpecifyKind(r.CreatedDate, DateTimeKind.Utc))))];
    }

    private static FieldHistoryRow ParseFieldRow(Dictionary<string, JsonElement> fields)
    {
        string? Text(string name) => TextOf(fields, name);
        var created = SalesforceDateTime.TryParse(Text("CreatedDate"), out var c) ? c : throw new FormatException("OpportunityFieldHistory without CreatedDate.");
        return new FieldHistoryRow(
            SalesforceId.Normalize(Text("Id")!),
            SalesforceId.Normalize(Text("OpportunityId")!),
            Text("Field") ?? throw new FormatException("OpportunityFieldHistory without Field."),
            Date(Text("OldValue")),
            Date(Text("NewValue")),
            created);
    }

    private static string? TextOf(Dictionary<string, JsonElement> fields, string name) =>
        fields.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A Salesforce date (<c>2026-03-31</c>, or a dateTime whose first ten characters are one); null otherwise.</summary>
    private static DateOnly? Date(string? text) =>
        text is { Length: >= 10 } && DateOnly.TryParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d : null;

    private static (HistoryRow Row, DateTimeOffset Modstamp) Parse(Dictionary<string, JsonElement> fields)
    {
        string? Text(string name) => TextOf(fields, name);
        var created = SalesforceDateTime.TryParse(Text("CreatedDate"), out var c) ? c : throw new FormatException("OpportunityHistory without CreatedDate.");
        return (new HistoryRow(
                SalesforceId.Normalize(Text("Id")!),
                SalesforceId.Normalize(Text("OpportunityId")!),
                Text("StageName"),
                Date(Text("CloseDate")),
                Date(Text("PrevCloseDate")),
                fields.TryGetValue("Amount", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDecimal() : null,
                created),
            SalesforceRecords.SystemModstamp(fields));
    }
}
