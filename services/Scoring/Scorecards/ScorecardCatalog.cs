using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Scorecards;

/// <summary>
/// Compiled scorecards, cached per version forever (a version never changes), and the set of active versions,
/// read from the database on every use so that every instance sees an activation at once.
/// </summary>
internal sealed class ScorecardCatalog(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<(string Id, int Version), CompiledScorecard> _compiled = new();
    private readonly SemaphoreSlim _seedGate = new(1, 1);
    private volatile bool _seeded;

    public async Task<CompiledScorecard?> GetAsync(string id, int version, CancellationToken cancellationToken)
    {
        if (_compiled.TryGetValue((id, version), out var compiled))
        {
            return compiled;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT definition::text FROM scorecards WHERE id = @id AND version = @version",
            new { id, version }, cancellationToken: cancellationToken));
        return json is null ? null : _compiled.GetOrAdd((id, version), _ => ScorecardCompiler.Compile(ScorecardJson.Deserialize(json)));
    }

    /// <summary>The active scorecards, read inside the caller's transaction.</summary>
    public async Task<IReadOnlyList<CompiledScorecard>> ActiveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await EnsureSeededAsync(cancellationToken);
        var active = await connection.QueryAsync<(string Id, int Version)>(new CommandDefinition(
            "SELECT scorecard_id, version FROM scorecard_activations ORDER BY scorecard_id", transaction: transaction, cancellationToken: cancellationToken));
        var result = new List<CompiledScorecard>();
        foreach (var (id, version) in active)
        {
            result.Add(await GetAsync(id, version, cancellationToken) ?? throw new InvalidOperationException($"Active scorecard '{id}' v{version} is missing."));
        }

        return result;
    }

    /// <summary>
    /// Stores the default scorecards once; Proactive qualification is activated only when it is first stored, so an
    /// admin who deactivates it is never overruled by a restart. Idempotent and safe with concurrent instances.
    /// </summary>
    public async Task EnsureSeededAsync(CancellationToken cancellationToken)
    {
        if (_seeded)
        {
            return;
        }

        await _seedGate.WaitAsync(cancellationToken);
        try
        {
            if (_seeded)
            {
                return;
            }

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var scorecard in DefaultScorecards.All)
            {
                var inserted = await ScorecardStore.InsertAsync(connection, transaction, scorecard, "seed", cancellationToken);
                if (inserted && scorecard.Id == DefaultScorecards.ProactiveQualificationId)
                {
                    await ScorecardStore.ActivateAsync(connection, transaction, scorecard.Id, scorecard.Version, "seed", cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            _seeded = true;
        }
        finally
        {
            _seedGate.Release();
        }
    }
}
