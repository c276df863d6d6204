using PipelineCoach.SalesforceSimulator.Generation;

namespace PipelineCoach.SalesforceSimulator.Tests;

internal sealed class When_minting_salesforce_ids
{
    [Test]
    public void Should_append_the_documented_checksum() =>
        Assert.That(SalesforceIds.To18("a0D30000001n7Pi"), Is.EqualTo("a0D30000001n7PiEAI"));

    [TestCase(SalesforceIds.Opportunity, 0)]
    [TestCase(SalesforceIds.Account, 61)]
    [TestCase(SalesforceIds.User, 1_000_000)]
    [TestCase(SalesforceIds.OutboundNotification, 916_132_831)]
    public void Should_round_trip_prefix_and_number(string prefix, long number)
    {
        var id = SalesforceIds.Create(prefix, number);

        Assert.Multiple(() =>
        {
            Assert.That(id, Has.Length.EqualTo(18));
            Assert.That(id, Does.StartWith(prefix));
            Assert.That(SalesforceIds.HasValidChecksum(id), Is.True);
            Assert.That(SalesforceIds.To18(id[..15]), Is.EqualTo(id));
            Assert.That(SalesforceIds.TryParse(id, out var p, out var n), Is.True);
            Assert.That((p, n), Is.EqualTo((prefix, number)));
        });
    }

    [Test]
    public void Should_reject_a_wrong_checksum_and_compare_15_char_ids_case_sensitively()
    {
        var id = SalesforceIds.Create(SalesforceIds.Opportunity, 123_456);
        var wrongSuffix = id[..15] + (id[15] == 'A' ? "BAA" : "AAA");
        var otherCase = id[..5] + id[5..15].ToUpperInvariant();

        Assert.Multiple(() =>
        {
            Assert.That(SalesforceIds.TryParse(wrongSuffix, out _, out _), Is.False);
            Assert.That(SalesforceIds.TryParse(id[..15], out _, out var n), Is.True);
            Assert.That(n, Is.EqualTo(123_456));
            Assert.That(otherCase == id[..15] || !SalesforceIds.TryParse(otherCase, out _, out var m) || m != 123_456, Is.True);
        });
    }
}
