using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using PipelineCoach.Sync.Salesforce;
using PipelineCoach.Sync.Webhooks.OutboundMessages;

namespace PipelineCoach.Sync.Tests.OutboundMessages;

public sealed class When_the_gate_checks_who_is_posting
{
    private static OutboundMessageGate Gate(OutboundMessageOptions options) =>
        new(Options.Create(options), Options.Create(new SalesforceOrgOptions { OrganizationId = "00D000000000001" }));

    private static X509Certificate2 Certificate(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Test]
    public void Should_serve_only_the_bare_path_without_a_secret()
    {
        var gate = Gate(new OutboundMessageOptions());
        Assert.That(gate.SecretMatches(null), Is.True);
        Assert.That(gate.SecretMatches("anything"), Is.False);
    }

    [Test]
    public void Should_serve_only_the_configured_secrets_with_one()
    {
        var gate = Gate(new OutboundMessageOptions { Secret = new string('a', 32), PreviousSecrets = [new string('b', 32)] });
        Assert.Multiple(() =>
        {
            Assert.That(gate.SecretMatches(null), Is.False);
            Assert.That(gate.SecretMatches(new string('a', 32)), Is.True);
            Assert.That(gate.SecretMatches(new string('b', 32)), Is.True);
            Assert.That(gate.SecretMatches(new string('a', 31)), Is.False);
            Assert.That(gate.SecretMatches(new string('A', 32)), Is.False, "case matters");
        });
    }

    [Test]
    public void Should_accept_the_configured_org_in_either_length_and_the_additional_ones()
    {
        var gate = Gate(new OutboundMessageOptions { AdditionalOrganizationIds = ["00D000000000002"] });
        Assert.That(gate.OrganizationAccepted("00D000000000001EAA"), Is.True);
        Assert.That(gate.OrganizationAccepted("00D000000000002EAA"), Is.True);
        Assert.That(gate.OrganizationAccepted("00D000000000003EAA"), Is.False);
    }

    [Test]
    public void Should_accept_only_listed_client_certificates()
    {
        using var salesforce = Certificate("proxy.salesforce.com");
        using var other = Certificate("someone-else");
        var withColons = string.Join(':', Enumerable.Range(0, salesforce.Thumbprint.Length / 2).Select(i => salesforce.Thumbprint.Substring(i * 2, 2)));
        var gate = Gate(new OutboundMessageOptions { ClientCertificateThumbprints = [withColons.ToLowerInvariant()] });

        Assert.That(gate.RequiresClientCertificate, Is.True);
        Assert.That(gate.ClientCertificateAccepted(salesforce), Is.True, "thumbprints compare without colons, in any case");
        Assert.That(gate.ClientCertificateAccepted(other), Is.False);
        Assert.That(gate.ClientCertificateAccepted(null), Is.False);
        Assert.That(Gate(new OutboundMessageOptions()).RequiresClientCertificate, Is.False);
    }
}
