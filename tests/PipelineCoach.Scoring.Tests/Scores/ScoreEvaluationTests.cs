using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Opportunities;
using PipelineCoach.Scoring.Scorecards;
using PipelineCoach.Scoring.Scores;
using PipelineCoach.Scoring.Tests.Engine;

namespace PipelineCoach.Scoring.Tests.Scores;

/// <summary>When a new score is news: score, grade or raised flags as others see them (a manager override included).</summary>
public sealed class When_deciding_whether_a_score_changed
{
    private static readonly CompiledScorecard Scorecard = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification);

    private static ScoreResult Score(OpportunityChanged message)
    {
        var result = Scorecard.CreateResult();
        Scorecard.Score(Scorecard.CreateFacts(message), OpportunityBuilder.AsOf, result);
        return result;
    }

    private static StoredScore Stored(ScoreResult result, int? overrideScore = null, string[]? flags = null) => new()
    {
        OpportunityId = result.OpportunityId,
        ScorecardId = result.ScorecardId,
        ScorecardVersion = result.ScorecardVersion,
        Score = result.Score,
        Grade = result.Grade,
        Flags = flags ?? ScoreEvaluation.RaisedFlags(result),
        Statuses = ScoreEvaluation.Statuses(result),
        AsOf = result.AsOf,
        OverrideScore = overrideScore,
        OverrideGrade = overrideScore is { } s ? Scorecard.GradeFor(s).Grade : null,
    };

    private static OpportunityChanged Plain() => OpportunityBuilder.Open().InStage("Qualification").WithContacts("Economic Buyer", "Decision Maker", "Champion")
        .With(o => o with { NextStep = "Demo on Tuesday" }).Build();

    [Test]
    public void Should_treat_the_first_score_as_news_with_its_breakdown()
    {
        var outcome = ScoreEvaluation.Outcome(Score(Plain()), previous: null, previousScorecard: null, ScoreCause.Change);

        Assert.That(outcome.Changed, Is.True);
        using var breakdown = System.Text.Json.JsonDocument.Parse(outcome.Breakdown!);
        Assert.That(breakdown.RootElement.GetProperty("c").GetArrayLength(), Is.EqualTo(5));
        Assert.That(outcome.Reasons[0], Does.StartWith($"First score {outcome.Score},"));
    }

    [Test]
    public void Should_not_call_the_same_score_news_and_skip_building_its_breakdown()
    {
        var previous = Stored(Score(Plain()));
        var outcome = ScoreEvaluation.Outcome(Score(Plain()), previous, Scorecard, ScoreCause.Change);

        Assert.That((outcome.Changed, outcome.Breakdown, outcome.Reasons.Count), Is.EqualTo((false, (string?)null, 0)));
    }

    [Test]
    public void Should_call_a_new_flag_news_even_when_the_score_is_the_same()
    {
        var previous = Stored(Score(Plain()));
        var discounted = OpportunityBuilder.Open().InStage("Qualification").WithContacts("Economic Buyer", "Decision Maker", "Champion")
            .With(o => o with { NextStep = "Demo on Tuesday" }).WithField("Discount_Percent__c", "30").Build();

        var outcome = ScoreEvaluation.Outcome(Score(discounted), previous, Scorecard, ScoreCause.Change);

        Assert.That(outcome.Score, Is.EqualTo(previous.Score));
        Assert.That(outcome.Changed, Is.True);
        Assert.That(outcome.Reasons, Has.Some.StartsWith("Maverick discounting: "));
        Assert.That(ScoreEvaluation.ThinSnapshot(previous, Scorecard).Criteria.Select(c => c.Status),
            Is.EqualTo(previous.Statuses.Select(ScoreEvaluation.FromCode)), "statuses survive the compact form");
    }

    [Test]
    public void Should_hold_a_manager_override_when_only_the_computed_score_moves()
    {
        var previous = Stored(Score(Plain()), overrideScore: 90);
        var better = OpportunityBuilder.Open().InStage("Qualification").WithContacts("Economic Buyer", "Decision Maker", "Champion")
            .With(o => o with { NextStep = "Demo on Tuesday" }).WithField("Decision_Process__c", "IT review").WithField("Decision_Criteria__c", "SSO").Build();

        var outcome = ScoreEvaluation.Outcome(Score(better), previous, Scorecard, ScoreCause.Change);

        Assert.That(outcome.Score, Is.GreaterThan(previous.Score), "the computed score moved (a criterion met early)");
        Assert.That(outcome.Changed, Is.False, "what others see is still the override");
        // A flag change under an override is news, published with the override's score and grade.
        var flagged = Stored(Score(Plain()), overrideScore: 90, flags: ["stalled"]);
        var message = ScoreStore.ToMessage(ScoreEvaluation.Outcome(Score(better), flagged, Scorecard, ScoreCause.Change), DateTimeOffset.UnixEpoch);
        Assert.That((message.Score, message.IsOverride, message.PreviousScore), Is.EqualTo((90, true, (int?)90)));
        Assert.That(message.Changes[0], Does.StartWith("Score held at the manager override 90"));
    }
}

/// <summary>Readiness and what is missing now are news, and a published score carries each raised flag's reason.</summary>
public sealed class When_readiness_changes_without_the_score
{
    private static readonly CompiledScorecard Meddicc = ScorecardCompiler.Compile(DefaultScorecards.Meddicc);

    private static ScoreResult Score(OpportunityChanged message)
    {
        var result = Meddicc.CreateResult();
        Meddicc.Score(Meddicc.CreateFacts(message), OpportunityBuilder.AsOf, result);
        return result;
    }

    [Test]
    public void Should_publish_a_deal_that_fell_behind_with_its_missing_prompts()
    {
        // Prospecting expects nothing (50, grade C); at Qualification one of two expected criteria is met: 50 again, but behind.
        var before = Score(OpportunityBuilder.Open().InStage("Prospecting").Build());
        var previous = new StoredScore
        {
            OpportunityId = before.OpportunityId, ScorecardId = before.ScorecardId, ScorecardVersion = before.ScorecardVersion,
            Score = before.Score, Grade = before.Grade, Flags = ScoreEvaluation.RaisedFlags(before), Statuses = ScoreEvaluation.Statuses(before), AsOf = before.AsOf,
        };
        var after = Score(OpportunityBuilder.Open().InStage("Qualification").WithField("Decision_Criteria__c", "SSO").Build());

        var outcome = ScoreEvaluation.Outcome(after, previous, Meddicc, ScoreCause.Change);
        var message = ScoreStore.ToMessage(outcome, DateTimeOffset.UnixEpoch);

        Assert.That((before.Score, after.Score, before.Readiness, after.Readiness), Is.EqualTo((50, 50, "on-track", "behind")));
        Assert.That(outcome.Changed, Is.True);
        Assert.That(message.Readiness, Is.EqualTo("behind"));
        Assert.That(message.MissingNow, Is.EqualTo(new[] { "Why would they buy? Write down the business pain in their words." }));
    }

    [Test]
    public void Should_publish_the_reason_of_each_raised_flag()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Proposal/Price Quote").Build());

        var message = ScoreStore.ToMessage(ScoreEvaluation.Outcome(result, null, null, ScoreCause.Change), DateTimeOffset.UnixEpoch);

        Assert.That(message.Flags, Is.EqualTo(new[] { "premature-presentation", "single-threaded" }));
        Assert.That(message.FlagReasons.Keys, Is.EquivalentTo(message.Flags));
        Assert.That(message.FlagReasons["single-threaded"], Is.EqualTo("Single-threaded: only 0 contact(s) engaged at Proposal/Price Quote."));
    }
}

/// <summary>The write-back loop guard: our own echo is recognised by what changed, not only by who wrote it.</summary>
public sealed class When_recognising_our_own_write_back
{
    private static readonly IList<string> WriteBack = new ScoringOptions().WriteBackFields;

    private static OpportunityChanged Message(bool ownWrite, params string[] changed) =>
        OpportunityBuilder.Open().Build() with { IsOwnWrite = ownWrite, ChangedFields = changed };

    [Test]
    public void Should_skip_an_own_write_of_only_score_fields_and_audit_fields() =>
        Assert.That(OpportunityChangedConsumer.IsOwnEcho(Message(true, "Qualification_Score__c", "qualification_flags__c", "SystemModstamp"), WriteBack), Is.True);

    [TestCase(false, "Qualification_Score__c")]
    [TestCase(true, "Qualification_Score__c", "StageName")]
    [TestCase(true)]
    public void Should_rescore_anything_else(bool ownWrite, params string[] changed) =>
        Assert.That(OpportunityChangedConsumer.IsOwnEcho(Message(ownWrite, changed), WriteBack), Is.False);
}
