using PipelineCoach.Sync.History;

namespace PipelineCoach.Sync.Tests.Unit;

public sealed class When_deriving_history_signals
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static HistoryRow Row(int day, string stage, string close, string? previousClose = null) =>
        new($"008{day:D12}AAA", "006000000000001AAA", stage, DateOnly.Parse(close, System.Globalization.CultureInfo.InvariantCulture),
            previousClose is null ? null : DateOnly.Parse(previousClose, System.Globalization.CultureInfo.InvariantCulture), 1000m, Start.AddDays(day));

    [Test]
    public void Should_count_pushes_days_and_quarter_boundaries()
    {
        var summary = OpportunityHistoryDeriver.Derive(
        [
            Row(0, "Prospecting", "2026-03-31"),
            Row(30, "Qualification", "2026-06-30", "2026-03-31"),   // +91 days, Q1 → Q2
            Row(60, "Qualification", "2026-05-15", "2026-06-30"),   // pulled in: not a push
            Row(90, "Qualification", "2026-12-31", "2026-05-15"),   // +230 days, Q2 → Q4
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(summary.CloseDatePushCount, Is.EqualTo(2));
            Assert.That(summary.TotalDaysPushed, Is.EqualTo(91 + 230));
            Assert.That(summary.QuarterBoundariesCrossed, Is.EqualTo(1 + 2));
            Assert.That(summary.OriginalCloseDate, Is.EqualTo(new DateOnly(2026, 3, 31)));
        });
    }

    [Test]
    public void Should_record_stage_entry_times_and_regressions()
    {
        var summary = OpportunityHistoryDeriver.Derive(
        [
            Row(0, "Prospecting", "2026-03-31"),
            Row(10, "Proposal/Price Quote", "2026-03-31"),
            Row(20, "Qualification", "2026-03-31"),            // backwards
            Row(40, "Proposal/Price Quote", "2026-03-31"),
            Row(50, "Closed Lost", "2026-03-31"),             // closing is not a regression
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(summary.StageRegressionCount, Is.EqualTo(1));
            Assert.That(summary.StageEnteredAt["Proposal/Price Quote"], Is.EqualTo(Start.AddDays(10)), "first entry is kept");
            Assert.That(summary.CurrentStageEnteredAt, Is.EqualTo(Start.AddDays(50)));
        });
    }

    [Test]
    public void Should_compare_consecutive_rows_when_prev_close_date_is_missing()
    {
        var summary = OpportunityHistoryDeriver.Derive([Row(0, "Prospecting", "2026-03-31"), Row(5, "Prospecting", "2026-04-02")]);
        Assert.That(summary.CloseDatePushCount, Is.EqualTo(1));
        Assert.That(summary.QuarterBoundariesCrossed, Is.EqualTo(1));
    }

    [Test]
    public void Should_count_only_later_moves_of_a_followed_date_field()
    {
        FieldHistoryRow Move(int day, string field, string? from, string? to) => new($"017{day:D12}AAA", "006000000000001AAA", field,
            from is null ? null : DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            to is null ? null : DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), Start.AddDays(day));

        var summary = OpportunityHistoryDeriver.Derive(
            [Row(0, "Prospecting", "2026-03-31")],
            [
                Move(1, "Compelling_Event_Date__c", null, "2026-03-31"),          // first set: not a move
                Move(2, "Compelling_Event_Date__c", "2026-03-31", "2026-06-30"),  // later
                Move(3, "Compelling_Event_Date__c", "2026-06-30", "2026-05-01"),  // earlier
                Move(4, "Compelling_Event_Date__c", "2026-05-01", "2026-09-30"),  // later
                Move(5, "Other_Date__c", "2026-05-01", "2026-09-30"),             // not followed
            ],
            ["Compelling_Event_Date__c", "Renewal_Date__c"]);

        Assert.Multiple(() =>
        {
            Assert.That(summary.DateFieldPushCounts["Compelling_Event_Date__c"], Is.EqualTo(2));
            Assert.That(summary.DateFieldPushCounts["Renewal_Date__c"], Is.Zero, "followed without rows reads 0");
            Assert.That(summary.DateFieldPushCounts.ContainsKey("Other_Date__c"), Is.False);
        });
    }
}
