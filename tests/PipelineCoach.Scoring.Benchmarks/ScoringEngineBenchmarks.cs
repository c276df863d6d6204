using BenchmarkDotNet.Attributes;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Benchmarks;

/// <summary>
/// One core, one thread: scoring pre-mapped opportunities into a reused result (the engine's hot path), and
/// mapping an <see cref="OpportunityChanged"/> into reused facts. Each invocation covers <see cref="BatchSize"/>
/// opportunities, so the reported time per operation is per opportunity.
/// </summary>
[MemoryDiagnoser]
public class ScoringEngineBenchmarks
{
    private const int BatchSize = 4_096;

    private CompiledScorecard scorecard = null!;
    private OpportunityChanged[] messages = null!;
    private OpportunityFacts[] facts = null!;
    private OpportunityFacts reusableFacts = null!;
    private ScoreResult result = null!;

    [Params(DefaultScorecards.ProactiveQualificationId, DefaultScorecards.MeddiccId)]
    public string Scorecard { get; set; } = DefaultScorecards.ProactiveQualificationId;

    [GlobalSetup]
    public void Setup()
    {
        scorecard = ScorecardCompiler.Compile(DefaultScorecards.All.Single(s => s.Id == Scorecard));
        messages = SampleOpportunities.Create(BatchSize);
        facts = messages.Select(scorecard.CreateFacts).ToArray();
        reusableFacts = scorecard.CreateFacts();
        result = scorecard.CreateResult();
    }

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "Score pre-mapped facts")]
    public int Score()
    {
        var total = 0;
        foreach (var opportunity in facts)
        {
            scorecard.Score(opportunity, SampleOpportunities.AsOf, result);
            total += result.Score;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "Map OpportunityChanged, then score")]
    public int MapAndScore()
    {
        var total = 0;
        foreach (var message in messages)
        {
            reusableFacts.Load(message);
            scorecard.Score(reusableFacts, SampleOpportunities.AsOf, result);
            total += result.Score;
        }

        return total;
    }
}
