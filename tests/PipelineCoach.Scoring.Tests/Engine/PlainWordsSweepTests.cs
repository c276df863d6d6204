using System.Text.Json;
using System.Text.RegularExpressions;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Tests.Engine;

/// <summary>
/// Sweeps every default criterion and flag through deals that meet, miss, raise and clear them, and reads every text
/// a rep or manager sees — criterion and flag reasons, coaching prompts, the changes of a score, and the same read back
/// from a stored breakdown — for admin words: field API names, "(not set)", flag ids.
/// </summary>
[TestFixture]
public sealed partial class When_reading_the_words_of_every_default_criterion_and_flag
{
    private static readonly string[] Stages =
    [
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
        "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review",
    ];

    private static IEnumerable<(string Name, OpportunityBuilder Deal)> Deals()
    {
        foreach (var stage in Stages)
        {
            yield return ($"empty in {stage}", OpportunityBuilder.Open().InStage(stage).With(o => o with { CloseDate = new DateOnly(2025, 3, 28), LastActivityDate = null }));
            yield return ($"full in {stage}", Full().InStage(stage));
            yield return ($"troubled in {stage}", Troubled().InStage(stage));
        }

        yield return ("closed won", Full().Closed(won: true));
        yield return ("closed lost", OpportunityBuilder.Open().Closed(won: false));
    }

    private static OpportunityBuilder Full() => OpportunityBuilder.Open()
        .WithContacts("Economic Buyer", "Decision Maker", "Champion", "Executive Sponsor")
        .With(o => o with { NextStep = "Workshop on 2025-03-20", LastActivityDate = OpportunityBuilder.AsOf.AddDays(-1) })
        .WithField("Compelling_Event_Date__c", "2025-06-30").WithField("Compelling_Event__c", "Old licences expire")
        .WithField("Executive_Sponsor__c", "Ana (COO)").WithField("Economic_Buyer__c", "Dana (CFO)")
        .WithField("Identified_Pain__c", "Month-end takes 9 days").WithField("Decision_Process__c", "IT review, then CFO")
        .WithField("Decision_Criteria__c", "SSO, audit trail").WithField("Next_Step_Date__c", "2025-03-20")
        .WithField("Discount_Percent__c", "5").WithField("Metrics__c", "Close in 4 days").WithField("Champion__c", "Lee")
        .WithField("Competition__c", "Do nothing");

    private static OpportunityBuilder Troubled() => OpportunityBuilder.Open()
        .WithContacts("Technical Buyer")
        .With(o => o with
        {
            NextStep = "call Tuesday",
            CloseDate = new DateOnly(2025, 3, 28),
            LastActivityDate = OpportunityBuilder.AsOf.AddDays(-40),
            CreatedDate = new DateTimeOffset(2024, 6, 1, 9, 0, 0, TimeSpan.Zero),
        })
        .WithField("Next_Step_Date__c", "2024-11-05").WithField("Discount_Percent__c", "30")
        .WithField("Compelling_Event_Date__c", "2025-03-01")
        .WithHistory(h => h with
        {
            CloseDatePushCount = 4,
            QuarterBoundariesCrossed = 3,
            TotalDaysPushed = 260,
            CurrentStageEnteredAt = new DateTimeOffset(2024, 9, 1, 9, 0, 0, TimeSpan.Zero),
            StageEnteredAt = new Dictionary<string, DateTimeOffset> { ["Qualification"] = new(2024, 7, 1, 9, 0, 0, TimeSpan.Zero) },
        });

    private static IEnumerable<TestCaseData> Scorecards() =>
        DefaultScorecards.All.Select(scorecard => new TestCaseData(scorecard.Id).SetArgDisplayNames(scorecard.Id));

    [TestCaseSource(nameof(Scorecards))]
    public void Should_speak_in_plain_words_everywhere_a_person_reads(string scorecardId)
    {
        var scorecard = ScorecardCompiler.Compile(DefaultScorecards.All.Single(s => s.Id == scorecardId));
        var flagIds = scorecard.Flags.Select(flag => flag.Id).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ScoreSnapshot? previous = null;
        foreach (var (name, deal) in Deals())
        {
            var result = scorecard.CreateResult();
            scorecard.Score(scorecard.CreateFacts(deal.Build()), OpportunityBuilder.AsOf, result);
            var snapshot = result.ToSnapshot();
            using var stored = JsonDocument.Parse(ScoreBreakdown.Write(result));
            var readBack = ScoreBreakdown.Read(stored.RootElement, scorecard, snapshot.OpportunityId, snapshot.SourceVersion, snapshot.Score, snapshot.Grade);

            IEnumerable<string> texts =
            [
                .. snapshot.Criteria.Select(c => c.Reason), .. snapshot.Flags.Select(f => f.Reason), .. snapshot.MissingNow.Select(m => m.Prompt),
                .. readBack.Criteria.Select(c => c.Reason), .. readBack.Flags.Select(f => f.Reason),
                .. ScoreDiff.FirstScoreReasons(result), .. ScoreDiff.Compare(previous, snapshot).Reasons,
            ];
            foreach (var text in texts)
            {
                Assert.That(text, Does.Not.Contain("__c").And.Not.Contain("(not set)").And.Not.Empty, $"{scorecardId}, {name}");
                Assert.That(QuotedWords().Matches(text).Select(match => match.Groups[1].Value).Where(flagIds.Contains), Is.Empty,
                    $"{scorecardId}, {name}: a flag id in \"{text}\"");
            }

            Assert.That(readBack.Criteria.Select(c => c.Reason), Is.EqualTo(snapshot.Criteria.Select(c => c.Reason)), "stored breakdowns read the same");
            foreach (var criterion in snapshot.Criteria)
            {
                seen.Add($"{criterion.Id}:{criterion.Status}");
            }

            foreach (var flag in snapshot.Flags)
            {
                seen.Add($"{flag.Id}:{flag.Raised}");
            }

            previous = snapshot;
        }

        foreach (var criterion in scorecard.Criteria)
        {
            Assert.That(seen, Does.Contain($"{criterion.Id}:{CriterionStatus.Met}").And.Contain($"{criterion.Id}:{CriterionStatus.NotMet}"),
                $"the sweep must meet and miss '{criterion.Id}'");
        }

        foreach (var flag in scorecard.Flags)
        {
            Assert.That(seen, Does.Contain($"{flag.Id}:True").And.Contain($"{flag.Id}:False"), $"the sweep must raise and clear '{flag.Id}'");
        }
    }

    [GeneratedRegex(@"'([a-z0-9-]+)'")]
    private static partial Regex QuotedWords();
}
