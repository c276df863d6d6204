using System.Text;
using PipelineCoach.Sync.Webhooks;

namespace PipelineCoach.Sync.Tests.Unit;

public sealed class When_parsing_change_events
{
    private static readonly DateTimeOffset Commit = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static ParseResult Parse(string json) => ChangeEventParser.Parse(Encoding.UTF8.GetBytes(json));

    [Test]
    public void Should_read_one_payload_with_its_header_and_fields()
    {
        var id = ChangeEvents.NewOpportunityId();
        var result = Parse(ChangeEvents.Json(ChangeEvents.Created(id, Commit)));

        Assert.That(result.IsValid, Is.True, () => string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        var change = result.Events.Single();
        Assert.Multiple(() =>
        {
            Assert.That(change.Header.EntityName, Is.EqualTo("Opportunity"));
            Assert.That(change.Header.ChangeType, Is.EqualTo("CREATE"));
            Assert.That(change.Header.RecordIds, Is.EqualTo(new[] { id }));
            Assert.That(change.Header.CommitTimestamp, Is.EqualTo(Commit));
            Assert.That(change.Fields["StageName"].GetString(), Is.EqualTo("Prospecting"));
            Assert.That(change.Fields.ContainsKey("ChangeEventHeader"), Is.False);
        });
    }

    [Test]
    public void Should_read_an_array_and_several_record_ids_per_event()
    {
        var ids = new[] { ChangeEvents.NewOpportunityId(), ChangeEvents.NewOpportunityId() };
        var update = ChangeEvents.Opportunity("UPDATE", ids, Commit, new() { ["StageName"] = "Closed Lost" });
        var result = Parse(ChangeEvents.Json(new[] { update, ChangeEvents.Created(ChangeEvents.NewOpportunityId(), Commit) }));

        Assert.That(result.Events, Has.Count.EqualTo(2));
        Assert.That(result.Events[0].Header.RecordIds, Is.EqualTo(ids));
    }

    [Test]
    public void Should_normalise_15_character_record_ids()
    {
        var update = ChangeEvents.Opportunity("UPDATE", ["a0D30000001n7Pi"], Commit, new() { ["NextStep"] = "Call" });
        Assert.That(Parse(ChangeEvents.Json(update)).Events.Single().Header.RecordIds.Single(), Is.EqualTo("a0D30000001n7PiEAI"));
    }

    [Test]
    public void Should_accept_gap_overflow_without_record_ids()
    {
        var overflow = ChangeEvents.Opportunity("GAP_OVERFLOW", [], Commit, []);
        var result = Parse(ChangeEvents.Json(overflow));
        Assert.That(result.IsValid, Is.True);
        Assert.That(result.Events.Single().Header.IsGap, Is.True);
    }

    [TestCase("{not json", "body")]
    [TestCase("42", "body")]
    [TestCase("[]", "body")]
    [TestCase("{\"StageName\":\"x\"}", "ChangeEventHeader")]
    public void Should_name_what_is_wrong(string json, string errorKey) =>
        Assert.That(Parse(json).Errors.Keys, Does.Contain(errorKey));

    [Test]
    public void Should_name_each_bad_header_field_with_its_position()
    {
        var good = ChangeEvents.Created(ChangeEvents.NewOpportunityId(), Commit);
        var bad = ChangeEvents.Opportunity("RENAME", ["not-an-id"], Commit, []);
        ((Dictionary<string, object?>)bad["ChangeEventHeader"]!).Remove("transactionKey");

        var result = Parse(ChangeEvents.Json(new[] { good, bad }));

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Events, Is.Empty, "nothing of a bad batch is accepted");
        Assert.That(result.Errors.Keys, Is.SupersetOf(new[]
        {
            "[1].ChangeEventHeader.changeType", "[1].ChangeEventHeader.recordIds", "[1].ChangeEventHeader.transactionKey",
        }));
    }
}
