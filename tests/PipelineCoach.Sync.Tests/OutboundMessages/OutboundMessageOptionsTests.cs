using System.ComponentModel.DataAnnotations;
using PipelineCoach.Sync.Webhooks.OutboundMessages;

namespace PipelineCoach.Sync.Tests.OutboundMessages;

public sealed class When_validating_outbound_message_options
{
    private static string[] Errors(OutboundMessageOptions options) =>
        [.. options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage!)];

    [Test]
    public void Should_accept_the_defaults_and_a_full_configuration()
    {
        Assert.That(Errors(new OutboundMessageOptions()), Is.Empty);
        Assert.That(Errors(new OutboundMessageOptions
        {
            Secret = new string('a', 32),
            PreviousSecrets = [new string('b', 40)],
            AdditionalOrganizationIds = ["00D000000000002"],
            IntegrationUserId = "005000000000009",
        }), Is.Empty);
    }

    [TestCase("short-secret")]
    [TestCase("has/a/slash-0123456789abcdef0123456789")]
    public void Should_refuse_a_secret_that_is_short_or_not_a_plain_url_segment(string secret) =>
        Assert.That(Errors(new OutboundMessageOptions { Secret = secret }), Has.One.Contains("at least 32"));

    [Test]
    public void Should_refuse_previous_secrets_without_a_current_one() =>
        Assert.That(Errors(new OutboundMessageOptions { PreviousSecrets = [new string('b', 40)] }), Has.One.Contains("needs a current"));

    [Test]
    public void Should_refuse_an_additional_org_that_is_not_an_org() =>
        Assert.That(Errors(new OutboundMessageOptions { AdditionalOrganizationIds = ["001000000000001AAA"] }), Has.One.Contains("org ids"));

    [Test]
    public void Should_refuse_an_integration_user_that_is_not_a_user() =>
        Assert.That(Errors(new OutboundMessageOptions { IntegrationUserId = "006000000000001AAA" }), Has.One.Contains("user id"));
}
