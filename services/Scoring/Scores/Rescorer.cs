using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.ServiceDefaults.Messaging;

namespace PipelineCoach.Scoring.Scores;

/// <summary>
/// Rescores every open opportunity with one scorecard version: a binary COPY streams snapshots and current scores,
/// every core scores chunks with reused buffers (the allocation-free engine API), and each chunk is written with a
/// handful of set-based statements in its own transaction, so progress shows as it goes. Read, score and write overlap.
/// </summary>
internal sealed partial class Rescorer(
    ILogger<Rescorer> logger,
    NpgsqlDataSource dataSource,
    UnitOfWorkFactory unitOfWork,
    ScorecardCatalog catalog,
    OpportunityScorer scorer,
    TimeProvider timeProvider,
    IOptions<ScoringOptions> options)
{
    private sealed record Row(byte[] Json, StoredScore? Previous);

    public async Task RunAsync(RescoringJob job, CancellationToken cancellationToken)
    {
        var scorecard = await catalog.GetAsync(job.ScorecardId, job.ScorecardVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Scorecard '{job.ScorecardId}' v{job.ScorecardVersion} does not exist.");
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE rescoring_jobs SET total = (SELECT count(*) FROM opportunities WHERE NOT is_deleted AND NOT is_closed) WHERE id = @Id",
                new { job.Id }, cancellationToken: cancellationToken));
        }

        var asOf = scorer.Today();
        var chunkSize = options.Value.RescoringChunkSize;
        var read = Channel.CreateBounded<List<Row>>(2);
        var scored = Channel.CreateBounded<List<ScoreOutcome>>(options.Value.RescoringWriters + 1);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(() => ReadAsync(job.ScorecardId, chunkSize, read.Writer, failed.Token), failed.Token);
        var cause = job.Reason == RescoringJobs.DailyReason ? ScoreCause.Daily : ScoreCause.Activation;
        var scorerTask = Task.Run(() => ScoreAsync(scorecard, asOf, cause, read.Reader, scored.Writer, failed.Token), failed.Token);
        // Several writers keep PostgreSQL busy on every core while the next chunk is read and scored.
        var writers = Enumerable.Range(0, options.Value.RescoringWriters)
            .Select(_ => Task.Run(() => WriteAsync(job.Id, scored.Reader, failed.Token), failed.Token)).ToList();
        try
        {
            await Task.WhenAll([reader, scorerTask, .. writers]);
        }
        catch
        {
            await failed.CancelAsync();
            throw;
        }
    }

    private async Task ReadAsync(string scorecardId, int chunkSize, ChannelWriter<List<Row>> output, CancellationToken cancellationToken)
    {
        try
        {
            if (!ScorecardValidator.SlugPattern().IsMatch(scorecardId))
            {
                throw new InvalidOperationException($"'{scorecardId}' is not a scorecard id.");
            }

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // The join with a million current scores is hashed: give this one read the memory to do it without
            // spilling to temporary files (only for this transaction).
            await connection.ExecuteAsync(new CommandDefinition("SET LOCAL work_mem = '256MB'", transaction: transaction, cancellationToken: cancellationToken));
            // COPY takes no parameters; the id is a validated slug.
            await using var copy = await connection.BeginBinaryExportAsync(
                $"""
                COPY (SELECT o.snapshot, s.opportunity_id, s.scorecard_version, s.owner_id, s.source_version, s.as_of,
                             s.score, s.grade, s.flags, s.statuses, s.scored_at, s.override_score, s.override_grade
                      FROM opportunities o LEFT JOIN scores s ON s.opportunity_id = o.id AND s.scorecard_id = '{scorecardId}'
                      WHERE NOT o.is_deleted AND NOT o.is_closed) TO STDOUT (FORMAT BINARY)
                """, cancellationToken);
            var chunk = new List<Row>(chunkSize);
            while (await copy.StartRowAsync(cancellationToken) != -1)
            {
                // UTF-8 as stored: deserialised without a detour through UTF-16 strings.
                var json = await copy.ReadAsync<byte[]>(NpgsqlDbType.Json, cancellationToken);
                StoredScore? previous = null;
                if (copy.IsNull)
                {
                    await copy.SkipAsync(cancellationToken);
                    for (var i = 0; i < 11; i++)
                    {
                        await copy.SkipAsync(cancellationToken);
                    }
                }
                else
                {
                    var opportunityId = await copy.ReadAsync<string>(NpgsqlDbType.Char, cancellationToken);
                    var version = await copy.ReadAsync<int>(NpgsqlDbType.Integer, cancellationToken);
                    var ownerId = copy.IsNull ? await SkipNull<string>(copy, cancellationToken) : await copy.ReadAsync<string>(NpgsqlDbType.Char, cancellationToken);
                    var sourceVersion = await copy.ReadAsync<DateTime>(NpgsqlDbType.TimestampTz, cancellationToken);
                    var asOf = await copy.ReadAsync<DateOnly>(NpgsqlDbType.Date, cancellationToken);
                    var score = await copy.ReadAsync<int>(NpgsqlDbType.Integer, cancellationToken);
                    var grade = await copy.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken);
                    var flags = await copy.ReadAsync<string[]>(NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                    var statuses = await copy.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken);
                    var scoredAt = await copy.ReadAsync<DateTime>(NpgsqlDbType.TimestampTz, cancellationToken);
                    int? overrideScore = copy.IsNull ? await SkipNull<int?>(copy, cancellationToken) : await copy.ReadAsync<int>(NpgsqlDbType.Integer, cancellationToken);
                    var overrideGrade = copy.IsNull ? await SkipNull<string>(copy, cancellationToken) : await copy.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken);
                    previous = new StoredScore
                    {
                        OpportunityId = opportunityId, ScorecardId = scorecardId, ScorecardVersion = version, OwnerId = ownerId,
                        SourceVersion = sourceVersion, AsOf = asOf, Score = score, Grade = grade, Flags = flags, Statuses = statuses,
                        ScoredAt = scoredAt, OverrideScore = overrideScore, OverrideGrade = overrideGrade,
                    };
                }

                chunk.Add(new Row(json, previous));
                if (chunk.Count == chunkSize)
                {
                    await output.WriteAsync(chunk, cancellationToken);
                    chunk = new List<Row>(chunkSize);
                }
            }

            if (chunk.Count > 0)
            {
                await output.WriteAsync(chunk, cancellationToken);
            }

            output.Complete();
        }
        catch (Exception ex)
        {
            output.Complete(ex);
            throw;
        }
    }

    private static async Task<T?> SkipNull<T>(NpgsqlBinaryExporter copy, CancellationToken cancellationToken)
    {
        await copy.SkipAsync(cancellationToken);
        return default;
    }

    private async Task ScoreAsync(CompiledScorecard scorecard, DateOnly asOf, string cause, ChannelReader<List<Row>> input,
        ChannelWriter<List<ScoreOutcome>> output, CancellationToken cancellationToken)
    {
        try
        {
            var workers = Environment.ProcessorCount;
            var buffers = Enumerable.Range(0, workers).Select(_ => (Facts: scorecard.CreateFacts(), Result: scorecard.CreateResult())).ToArray();
            await foreach (var chunk in input.ReadAllAsync(cancellationToken))
            {
                var outcomes = new ScoreOutcome[chunk.Count];
                var previousScorecards = new Dictionary<int, CompiledScorecard?>();
                foreach (var version in chunk.Where(r => r.Previous is not null).Select(r => r.Previous!.ScorecardVersion).Distinct())
                {
                    previousScorecards[version] = await catalog.GetAsync(scorecard.Id, version, cancellationToken);
                }

                var clock = System.Diagnostics.Stopwatch.StartNew();
                var slice = (chunk.Count + workers - 1) / workers;
                Parallel.For(0, workers, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = workers }, worker =>
                {
                    var (facts, result) = buffers[worker];
                    for (var i = worker * slice; i < Math.Min(chunk.Count, (worker + 1) * slice); i++)
                    {
                        var row = chunk[i];
                        var message = JsonSerializer.Deserialize(row.Json, ScoringJson.Default.OpportunityChanged)!;
                        facts.Load(message);
                        scorecard.Score(facts, asOf, result);
                        outcomes[i] = ScoreEvaluation.Outcome(result, row.Previous,
                            row.Previous is null ? null : previousScorecards[row.Previous.ScorecardVersion], cause);
                    }
                });
                LogChunkScored(logger, chunk.Count, clock.ElapsedMilliseconds);
                await output.WriteAsync(outcomes.ToList(), cancellationToken);
            }

            output.Complete();
        }
        catch (Exception ex)
        {
            output.Complete(ex);
            throw;
        }
    }

    private async Task WriteAsync(Guid jobId, ChannelReader<List<ScoreOutcome>> input, CancellationToken cancellationToken)
    {
        await foreach (var outcomes in input.ReadAllAsync(cancellationToken))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await using var work = await unitOfWork.BeginAsync(cancellationToken);
            var changed = await ScoreStore.WriteAsync(work, outcomes, timeProvider.GetUtcNow(), cancellationToken);
            await work.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE rescoring_jobs SET processed = processed + @processed, changed = changed + @changed, heartbeat_at = now() WHERE id = @jobId",
                new { jobId, processed = outcomes.Count, changed }, work.Transaction, cancellationToken: cancellationToken));
            await work.CommitAsync(cancellationToken);
            LogChunkWritten(logger, outcomes.Count, changed, clock.ElapsedMilliseconds);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Rescoring: scored {Count} in {Milliseconds} ms")]
    private static partial void LogChunkScored(ILogger logger, int count, long milliseconds);

    [LoggerMessage(LogLevel.Debug, "Rescoring: wrote {Count} ({Changed} changed) in {Milliseconds} ms")]
    private static partial void LogChunkWritten(ILogger logger, int count, int changed, long milliseconds);
}
