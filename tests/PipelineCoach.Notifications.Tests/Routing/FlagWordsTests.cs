using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.Tests.Routing;

/// <summary>Flag and health condition codes become the words a sales leader reads, never the code itself.</summary>
public sealed class When_naming_flags_and_conditions
{
    [TestCase("slipping", "close date slipping")]
    [TestCase("maverick-discounting", "deep discount")]
    [TestCase("seller-driven-close-date", "seller-driven close date")]
    [TestCase("chase-or-close", "chase or close")]
    public void Should_name_a_flag_in_words(string code, string words) =>
        Assert.That(FlagWords.Describe(code), Is.EqualTo(words));

    [TestCase("coverage-below-target", "pipeline coverage below target")]
    [TestCase("tunnel-vision", "tunnel vision on one deal")]
    [TestCase("target-accounts-uncovered", "target accounts left uncovered")]
    [TestCase("early-stage-thin", "thin early-stage pipeline")]
    public void Should_name_a_health_condition_in_words(string code, string words) =>
        Assert.That(HealthWords.Describe(code), Is.EqualTo(words));

    [Test]
    public void Should_read_an_unknown_code_as_words_without_hyphens()
    {
        Assert.That(FlagWords.Describe("budget-frozen"), Is.EqualTo("budget frozen"));
        Assert.That(HealthWords.Describe("quota-at-risk"), Is.EqualTo("quota at risk"));
    }
}
