using System.Text.Json;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Tests.Engine;

/// <summary>
/// Score history keeps a compact breakdown; read back with its scorecard version it must be the very breakdown the
/// engine produced (every criterion's evidence, every flag's reason), for open and closed deals and both scorecards.
/// </summary>
public sealed class When_a_breakdown_is_kept_compactly
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static IEnumerable<TestCaseData> Cases()
    {
        var proactive = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification);
        var meddicc = ScorecardCompiler.Compile(DefaultScorecards.Meddicc);
        var healthy = OpportunityBuilder.Open().InStage("Proposal/Price Quote").WithContacts("Economic Buyer", "Decision Maker", "Champion")
            .WithField("Compelling_Event_Date__c", "2025-05-30").With(o => o with { NextStep = "2025-03-20 pricing call" }).Build();
        var troubled = OpportunityBuilder.Open().InStage("Negotiation/Review").WithContact("Champion")
            .WithHistory(h => h with { CloseDatePushCount = 4, QuarterBoundariesCrossed = 2 }).WithField("Discount_Percent__c", "40")
            .With(o => o with { NextStep = null, LastActivityDate = OpportunityBuilder.AsOf.AddDays(-45) }).Build();
        var closed = OpportunityBuilder.Open().Closed(won: false).Build();
        foreach (var (name, message) in new[] { ("healthy", healthy), ("troubled", troubled), ("closed", closed) })
        {
            yield return new TestCaseData(proactive, message).SetArgDisplayNames("proactive", name);
            yield return new TestCaseData(meddicc, message).SetArgDisplayNames("meddicc", name);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Should_read_back_exactly_the_breakdown_the_engine_produced(CompiledScorecard scorecard, OpportunityChanged message)
    {
        var result = scorecard.CreateResult();
        scorecard.Score(scorecard.CreateFacts(message), OpportunityBuilder.AsOf, result);
        var expected = result.ToSnapshot();

        var stored = ScoreBreakdown.Write(result);
        using var document = JsonDocument.Parse(stored);
        var restored = ScoreBreakdown.Read(document.RootElement, scorecard, result.OpportunityId, result.SourceVersion, result.Score, result.Grade);

        Assert.That(ScoreBreakdown.IsCompact(document.RootElement), Is.True);
        Assert.That(JsonSerializer.Serialize(restored, Web), Is.EqualTo(JsonSerializer.Serialize(expected, Web)));
    }

    [Test]
    public void Should_be_a_fraction_of_the_full_breakdown()
    {
        var scorecard = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification);
        var result = scorecard.CreateResult();
        scorecard.Score(scorecard.CreateFacts(OpportunityBuilder.Open().WithContacts("Champion").Build()), OpportunityBuilder.AsOf, result);

        var full = JsonSerializer.Serialize(result.ToSnapshot(), Web).Length;
        var compact = ScoreBreakdown.Write(result).Length;

        Assert.That(compact, Is.LessThan(full / 3), $"compact {compact} characters, full {full}");
    }

    [Test]
    public void Should_tell_a_full_snapshot_written_before_from_a_compact_one()
    {
        var scorecard = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification);
        var result = scorecard.CreateResult();
        scorecard.Score(scorecard.CreateFacts(OpportunityBuilder.Open().Build()), OpportunityBuilder.AsOf, result);
        using var full = JsonDocument.Parse(JsonSerializer.Serialize(result.ToSnapshot(), Web));

        Assert.That(ScoreBreakdown.IsCompact(full.RootElement), Is.False);
    }
}
