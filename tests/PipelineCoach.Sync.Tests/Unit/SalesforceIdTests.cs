using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Tests.Unit;

public sealed class When_normalising_salesforce_ids
{
    [TestCase("a0D30000001n7Pi", "a0D30000001n7PiEAI")]
    [TestCase("a0D30000001n7PiEAI", "a0D30000001n7PiEAI")]
    [TestCase("a0D30000001n7Pieai", "a0D30000001n7PiEAI")]
    [TestCase("00D000000000001", "00D000000000001EAA")]
    public void Should_append_the_checksum(string id, string expected)
    {
        Assert.That(SalesforceId.TryNormalize(id, out var normalized), Is.True);
        Assert.That(normalized, Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("006ABC")]
    [TestCase("a0D30000001n7PiXXX")]
    [TestCase("a0D30000001n7P!")]
    [TestCase("a0d30000001n7PiEAI")]
    public void Should_reject_what_is_not_an_id(string id) =>
        Assert.That(SalesforceId.TryNormalize(id, out _), Is.False);
}
