using System.Text.Json;
using PipelineCoach.Sync.Mirror;

namespace PipelineCoach.Sync.Tests.Unit;

public sealed class When_merging_fields_into_an_opportunity
{
    private static Dictionary<string, JsonElement> Fields(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Test]
    public void Should_map_standard_fields_and_keep_the_rest_as_custom_fields()
    {
        var record = new OpportunityRecord { Id = "006000000000001AAA" };
        record.Apply(Fields("""
            {"StageName":"Proposal","Amount":1200.5,"CloseDate":"2026-12-31","OwnerId":"005000000000002",
             "IsClosed":false,"LastModifiedDate":"2026-11-25T10:00:00.000+0000","Discount_Percent__c":25,"Type":"New Business"}
            """), []);

        var snapshot = record.ToSnapshot();
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.StageName, Is.EqualTo("Proposal"));
            Assert.That(snapshot.Amount, Is.EqualTo(1200.5m));
            Assert.That(snapshot.CloseDate, Is.EqualTo(new DateOnly(2026, 12, 31)));
            Assert.That(snapshot.OwnerId, Is.EqualTo("005000000000002AAA"), "15-character ids are normalised to 18");
            Assert.That(snapshot.IsClosed, Is.False);
            Assert.That(snapshot.LastModifiedDate, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero)));
            Assert.That(snapshot.CustomFields["Discount_Percent__c"], Is.EqualTo("25"));
            Assert.That(snapshot.CustomFields["Type"], Is.EqualTo("New Business"));
        });
    }

    [Test]
    public void Should_keep_fields_an_update_does_not_mention_and_clear_nulled_ones()
    {
        var record = new OpportunityRecord { Id = "006000000000001AAA" };
        record.Apply(Fields("""{"StageName":"Qualification","NextStep":"Demo","Amount":10}"""), []);
        record.Apply(Fields("""{"StageName":"Proposal"}"""), ["NextStep"]);

        Assert.Multiple(() =>
        {
            Assert.That(record.StageName, Is.EqualTo("Proposal"));
            Assert.That(record.Amount, Is.EqualTo(10m));
            Assert.That(record.NextStep, Is.Null);
        });
    }
}
