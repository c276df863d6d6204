using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PipelineCoach.Sync.Tests.Pull;

/// <summary>The OAuth 2.0 JWT bearer flow: an RS256 assertion checked against the connected app's certificate.</summary>
public sealed class When_sync_authenticates_with_a_jwt_bearer_assertion
{
    private static (string PrivateKeyPem, string CertificatePem) NewConnectedAppKey()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=pipeline-coach", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return (rsa.ExportPkcs8PrivateKeyPem(), certificate.ExportCertificatePem());
    }

    [Test]
    public async Task Should_load_the_org_with_a_token_from_a_signed_assertion()
    {
        var (privateKey, certificate) = NewConnectedAppKey();
        await using var host = await SalesforceSyncHost.StartAsync(opportunities: 10, plantProblems: false, jwtCertificatePem: certificate, settings: new Dictionary<string, string?>
        {
            ["Salesforce:Api:AuthFlow"] = "JwtBearer",
            ["Salesforce:Api:PrivateKeyPem"] = privateKey,
            ["Salesforce:Api:Username"] = "{username}",
        });

        var result = await host.Reconciler.RunAsync(CancellationToken.None);

        Assert.That(result.Records, Is.EqualTo(host.Simulator.Org.OpportunityCount));
    }

    [Test]
    public void Should_refuse_an_assertion_signed_with_another_key()
    {
        var (_, certificate) = NewConnectedAppKey();
        var (otherKey, _) = NewConnectedAppKey();
        Assert.That(async () =>
        {
            await using var host = await SalesforceSyncHost.StartAsync(opportunities: 5, plantProblems: false, jwtCertificatePem: certificate, settings: new Dictionary<string, string?>
            {
                ["Salesforce:Api:AuthFlow"] = "JwtBearer",
                ["Salesforce:Api:PrivateKeyPem"] = otherKey,
                ["Salesforce:Api:Username"] = "{username}",
            });
            await host.Reconciler.RunAsync(CancellationToken.None);
        }, Throws.Exception.With.Message.Contains("invalid_grant"));
    }
}
