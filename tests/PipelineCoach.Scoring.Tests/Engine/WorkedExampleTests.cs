using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Tests.Engine;

/// <summary>
/// The worked example of <c>docs/scoring.md</c>: one deal through three stages as its rep reads it. If this test
/// changes, change the document with it.
/// </summary>
[TestFixture]
public sealed class When_following_the_worked_example_of_the_scoring_guide
{
    private static readonly CompiledScorecard Proactive = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification);

    private static DateTimeOffset On(int month, int day) => new(2025, month, day, 9, 0, 0, TimeSpan.Zero);

    private static OpportunityBuilder Acme() => OpportunityBuilder.Open()
        .With(o => o with { Name = "Acme — finance automation", Amount = 120_000, CreatedDate = On(1, 6) });

    /// <summary>Week 1: a discovery call booked, the close date parked at the quarter's end.</summary>
    private static OpportunityBuilder Prospecting() => Acme().InStage("Prospecting")
        .WithContact("Technical Buyer")
        .With(o => o with { NextStep = "Discovery call on 14 January", CloseDate = new DateOnly(2025, 3, 28), LastActivityDate = new DateOnly(2025, 1, 9) })
        .WithHistory(h => h with { CurrentStageEnteredAt = On(1, 6), StageEnteredAt = new Dictionary<string, DateTimeOffset> { ["Prospecting"] = On(1, 6) } });

    /// <summary>Week 5: the customer's deadline found and the close date moved onto it; three people engaged.</summary>
    private static OpportunityBuilder NeedsAnalysis() => Acme().InStage("Needs Analysis")
        .WithContacts("Technical Buyer", "Champion", "Economic Buyer")
        .WithField("Compelling_Event_Date__c", "2025-04-30").WithField("Compelling_Event__c", "Old ERP support ends")
        .WithField("Identified_Pain__c", "Month-end close takes 9 days")
        .With(o => o with { NextStep = "Process workshop on 2025-02-10", CloseDate = new DateOnly(2025, 4, 25), LastActivityDate = new DateOnly(2025, 2, 3) })
        .WithHistory(h => h with
        {
            CloseDatePushCount = 1, QuarterBoundariesCrossed = 1, TotalDaysPushed = 28, CurrentStageEnteredAt = On(1, 27),
            StageEnteredAt = new Dictionary<string, DateTimeOffset> { ["Prospecting"] = On(1, 6), ["Qualification"] = On(1, 15), ["Needs Analysis"] = On(1, 27) },
        });

    /// <summary>Week 11: a proposal out, but the buying plan half known and the agreed next step already behind us.</summary>
    private static OpportunityBuilder Proposal() => NeedsAnalysis().InStage("Proposal/Price Quote")
        .WithField("Decision_Process__c", "IT security review, then CFO sign-off")
        .WithField("Next_Step_Date__c", "2025-03-11").WithField("Discount_Percent__c", "10")
        .With(o => o with { NextStep = "Call Tuesday", LastActivityDate = new DateOnly(2025, 3, 18) })
        .WithHistory(h => h with
        {
            CurrentStageEnteredAt = On(3, 10),
            StageEnteredAt = new Dictionary<string, DateTimeOffset>
            {
                ["Prospecting"] = On(1, 6), ["Qualification"] = On(1, 15), ["Needs Analysis"] = On(1, 27),
                ["Id. Decision Makers"] = On(2, 17), ["Proposal/Price Quote"] = On(3, 10),
            },
        });

    private static ScoreSnapshot Score(OpportunityBuilder deal, DateOnly asOf) => Proactive.Evaluate(deal.Build(), asOf);

    [Test]
    public void Should_read_on_track_in_prospecting_with_the_quarter_end_close_date_called_out()
    {
        var score = Score(Prospecting(), new DateOnly(2025, 1, 10));

        Assert.That((score.Score, score.Grade, score.Readiness), Is.EqualTo((100, "A", "on-track")));
        Assert.That(score.RaisedFlags, Is.EqualTo(new[] { "seller-driven-close-date" }));
        Assert.That(score.Flags.Single(f => f.Raised).Reason, Is.EqualTo(
            "Seller-driven close date: the close date 2025-03-28 is our quarter end or past the customer's date (days before its quarter ends: 3; customer's compelling event: not recorded)."));
    }

    [Test]
    public void Should_read_on_track_in_needs_analysis_once_the_customers_date_holds_the_close()
    {
        var before = Score(Prospecting(), new DateOnly(2025, 1, 10));
        var score = Score(NeedsAnalysis(), new DateOnly(2025, 2, 3));

        Assert.That((score.Score, score.Grade, score.Readiness), Is.EqualTo((100, "A", "on-track")));
        Assert.That(score.RaisedFlags, Is.Empty);
        Assert.That(ScoreDiff.Compare(before, score).Reasons, Is.EqualTo(new[]
        {
            "Customer-driven close date is now in place.",
            "Tied to an executive priority is now in place.",
            "Multi-threaded is now in place.",
            "Seller-driven close date cleared.",
        }));
    }

    [Test]
    public void Should_read_behind_at_proposal_and_say_what_is_missing_now()
    {
        var before = Score(NeedsAnalysis(), new DateOnly(2025, 2, 3));
        var score = Score(Proposal(), new DateOnly(2025, 3, 20));

        Assert.That((score.Score, score.Grade, score.Readiness), Is.EqualTo((60, "B", "behind")));
        Assert.That(score.MissingNow.Select(m => m.Prompt), Is.EqualTo(new[]
        {
            "How will they decide? Record their decision process and criteria before proposing.",
            "What happens next, and when? Agree a dated next step with the customer.",
        }));
        Assert.That(score.RaisedFlags, Is.EqualTo(new[] { "no-next-step" }));
        Assert.That(ScoreDiff.Compare(before, score).Reasons, Is.EqualTo(new[]
        {
            "Score 100 → 60, grade A → B.",
            "Buying plan understood is now expected from Id. Decision Makers on. How will they decide? Record their decision process and criteria before proposing.",
            "Dated next step agreed no longer holds. What happens next, and when? Agree a dated next step with the customer.",
            "No next step: nothing agreed is still ahead (next step: Call Tuesday; next step date: 2025-03-11; date in its text: not recorded).",
        }));
        Assert.That(score.Criteria.Single(c => c.Id == "buying-plan").Evidence,
            Is.EqualTo(new EvidenceSnapshot("Decision_Criteria__c", "not recorded", "Decision_Criteria__c is set")));
    }
}
