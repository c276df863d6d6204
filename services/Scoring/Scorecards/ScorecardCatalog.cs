using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.PipelineHealth;

namespace PipelineCoach.Scoring.Scorecards;

/// <summary>
/// Compiled scorecards, cached per version (a version never changes), and the set of active versions, read from the
/// database on every use so that every instance sees an activation at once. Each version is compiled with the org's
/// stage norms (<see cref="StageNorms"/>) in place of its stages' <c>normalDays</c>, and compiled again from the same
/// definition when those norms change; its id, version and <see cref="CompiledScorecard.Definition"/> stay as stored.
/// </summary>
internal sealed class ScorecardCatalog(NpgsqlDataSource dataSource, StageNorms stageNorms)
{
    private readonly ConcurrentDictionary<(string Id, int Version), (long NormsGeneration, CompiledScorecard Compiled)> _compiled = new();
    private readonly SemaphoreSlim _seedGate = new(1, 1);
    private volatile bool _seeded;

    public async Task<CompiledScorecard?> GetAsync(string id, int version, CancellationToken cancellationToken)
    {
        var norms = stageNorms.Current;
        if (_compiled.TryGetValue((id, version), out var cached))
        {
            return cached.NormsGeneration >= norms.Generation ? cached.Compiled : Compile((id, version), cached.Compiled.Definition, norms);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT definition::text FROM scorecards WHERE id = @id AND version = @version",
            new { id, version }, cancellationToken: cancellationToken));
        return json is null ? null : Compile((id, version), ScorecardJson.Deserialize(json), norms);
    }

    /// <summary>
    /// Compiles with <paramref name="norms"/> unless another caller already cached this version with these norms or
    /// newer ones (then that one is shared, and an older refresh never replaces a newer compile).
    /// </summary>
    private CompiledScorecard Compile((string Id, int Version) key, Scorecard definition, StageNormFigures norms) =>
        _compiled.AddOrUpdate(key,
            _ => (norms.Generation, ScorecardCompiler.Compile(definition, norms.DaysByStage)),
            (_, existing) => existing.NormsGeneration >= norms.Generation ? existing : (norms.Generation, ScorecardCompiler.Compile(definition, norms.DaysByStage)))
        .Compiled;

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
