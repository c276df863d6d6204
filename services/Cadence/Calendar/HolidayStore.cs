using Dapper;
using Npgsql;

namespace PipelineCoach.Cadence.Calendar;

/// <summary>The holiday calendar; opens its own connections from the data source.</summary>
internal sealed class HolidayStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<DateOnly>> AllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var days = await connection.QueryAsync<DateTime>(new CommandDefinition("SELECT day FROM holidays ORDER BY day", cancellationToken: cancellationToken));
        return [.. days.Select(DateOnly.FromDateTime)];
    }

    /// <summary>Replaces the whole calendar in one transaction.</summary>
    public async Task ReplaceAsync(IReadOnlyList<DateOnly> days, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Two replacements at once would collide on the keys each inserts: the second waits for the first.
        await connection.ExecuteAsync(new CommandDefinition("LOCK TABLE holidays IN EXCLUSIVE MODE; DELETE FROM holidays", transaction: transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO holidays (day) SELECT DISTINCT unnest(@days)",
            new { days = days.Select(d => d.ToDateTime(TimeOnly.MinValue)).ToArray() }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }
}
