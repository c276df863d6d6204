using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace PipelineCoach.SalesforceSimulator.Tests;

internal sealed class When_requesting_tokens : SimulatorFixture
{
    private readonly RSA Key = RSA.Create(2048);
    private readonly RSA OtherKey = RSA.Create(2048);

    protected override int Opportunities => 50;

    [OneTimeTearDown]
    public void DisposeKeys()
    {
        Key.Dispose();
        OtherKey.Dispose();
    }

    protected override void Configure(SimulatorOptions options)
    {
        var request = new CertificateRequest("CN=pipeline-coach", Key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        options.OAuth.JwtCertificatePem = certificate.ExportCertificatePem();
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private string Assertion(string? iss = null, string? sub = null, string aud = "https://login.salesforce.com", long? exp = null, RSA? key = null, string alg = "RS256")
    {
        var header = B64(Encoding.UTF8.GetBytes($$"""{"alg":"{{alg}}"}"""));
        var claims = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = iss ?? Host.Options.OAuth.ConsumerKey,
            ["sub"] = sub ?? Host.Org.UserRecords[5].Username,
            ["aud"] = aud,
            ["exp"] = exp ?? DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeSeconds(),
        }));
        var signature = B64((key ?? Key).SignData(Encoding.ASCII.GetBytes($"{header}.{claims}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return $"{header}.{claims}.{signature}";
    }

    private async Task<(int Status, JsonElement Body)> TokenAsync(params (string, string)[] form)
    {
        using var anonymous = Host.CreateClient(authenticated: false);
        using var response = await anonymous.PostAsync("services/oauth2/token", new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));
        return ((int)response.StatusCode, await response.JsonAsync());
    }

    private Task<(int Status, JsonElement Body)> JwtAsync(string assertion) =>
        TokenAsync(("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion));

    [Test]
    public async Task Should_issue_a_token_for_a_valid_jwt_assertion()
    {
        var (status, body) = await JwtAsync(Assertion());
        var names = body.EnumerateObject().Select(p => p.Name).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(200));
            Assert.That(names, Is.EqualTo(new[] { "access_token", "scope", "instance_url", "id", "token_type" }));
            Assert.That(body.GetProperty("access_token").GetString(), Does.StartWith(Host.Org.OrganizationId[..15] + "!"));
            Assert.That(body.GetProperty("token_type").GetString(), Is.EqualTo("Bearer"));
            Assert.That(body.GetProperty("instance_url").GetString(), Is.EqualTo(Host.BaseUrl.ToString().TrimEnd('/')));
            Assert.That(body.GetProperty("id").GetString(), Is.EqualTo($"https://login.salesforce.com/id/{Host.Org.OrganizationId}/{Host.Org.UserId(5)}"));
        });
    }

    [Test]
    public async Task Should_accept_the_simulator_itself_as_audience()
    {
        var (status, body) = await JwtAsync(Assertion(aud: Host.BaseUrl.ToString()));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(200));
            Assert.That(body.GetProperty("token_type").GetString(), Is.EqualTo("Bearer"));
        });
    }

    [Test]
    public async Task Should_reject_bad_assertions_with_oauth_errors()
    {
        var expired = await JwtAsync(Assertion(exp: DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds()));
        var tooLong = await JwtAsync(Assertion(exp: DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()));
        var wrongKey = await JwtAsync(Assertion(key: OtherKey));
        var wrongAudience = await JwtAsync(Assertion(aud: "https://evil.example.com"));
        var unknownUser = await JwtAsync(Assertion(sub: "nobody@example.com"));
        var wrongIssuer = await JwtAsync(Assertion(iss: "someone-else"));
        var hs256 = await JwtAsync(Assertion(alg: "HS256"));

        Assert.Multiple(() =>
        {
            foreach (var (status, body) in new[] { expired, tooLong, wrongKey, wrongAudience, unknownUser, hs256 })
            {
                Assert.That(status, Is.EqualTo(400));
                Assert.That(body.GetProperty("error").GetString(), Is.EqualTo("invalid_grant"));
                Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "error", "error_description" }));
            }

            Assert.That(wrongAudience.Body.GetProperty("error_description").GetString(), Is.EqualTo("audience is invalid"));
            Assert.That(unknownUser.Body.GetProperty("error_description").GetString(), Is.EqualTo("user hasn't approved this consumer"));
            Assert.That(wrongKey.Body.GetProperty("error_description").GetString(), Is.EqualTo("invalid assertion"));
            Assert.That(wrongIssuer.Body.GetProperty("error").GetString(), Is.EqualTo("invalid_client_id"));
        });
    }

    [Test]
    public async Task Should_issue_a_signed_token_for_client_credentials()
    {
        var (status, body) = await TokenAsync(("grant_type", "client_credentials"), ("client_id", Host.Options.OAuth.ConsumerKey), ("client_secret", Host.Options.OAuth.ConsumerSecret));
        var id = body.GetProperty("id").GetString()!;
        var issuedAt = body.GetProperty("issued_at").GetString()!;
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Host.Options.OAuth.ConsumerSecret), Encoding.UTF8.GetBytes(id + issuedAt)));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(200));
            Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "access_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at" }));
            Assert.That(body.GetProperty("signature").GetString(), Is.EqualTo(expected));
            Assert.That(long.Parse(issuedAt, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(1_600_000_000_000));
            Assert.That(id, Does.EndWith("/" + Host.Org.UserId(0)));
        });
    }

    [Test]
    public async Task Should_reject_wrong_client_credentials_and_unknown_grants()
    {
        var wrongSecret = await TokenAsync(("grant_type", "client_credentials"), ("client_id", Host.Options.OAuth.ConsumerKey), ("client_secret", "nope"));
        var unknownGrant = await TokenAsync(("grant_type", "password"), ("username", "x"), ("password", "y"));

        Assert.Multiple(() =>
        {
            Assert.That(wrongSecret.Status, Is.EqualTo(400));
            Assert.That(wrongSecret.Body.GetProperty("error").GetString(), Is.EqualTo("invalid_client"));
            Assert.That(wrongSecret.Body.GetProperty("error_description").GetString(), Is.EqualTo("invalid client credentials"));
            Assert.That(unknownGrant.Body.GetProperty("error").GetString(), Is.EqualTo("unsupported_grant_type"));
        });
    }

    [Test]
    public async Task Should_answer_401_invalid_session_once_tokens_expire()
    {
        var (_, body) = await TokenAsync(("grant_type", "client_credentials"), ("client_id", Host.Options.OAuth.ConsumerKey), ("client_secret", Host.Options.OAuth.ConsumerSecret));
        using var client = Host.CreateClient(authenticated: false);
        client.DefaultRequestHeaders.Authorization = new("Bearer", body.GetProperty("access_token").GetString());
        using var before = await client.GetAsync("services/data/v62.0/limits");

        Host.Tokens.ExpireAll();
        using var after = await client.GetAsync("services/data/v62.0/limits");
        var text = await after.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That((int)before.StatusCode, Is.EqualTo(200));
            Assert.That((int)after.StatusCode, Is.EqualTo(401));
            Assert.That(text, Is.EqualTo("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"""));
            Assert.That(after.Header("Sforce-Limit-Info"), Does.StartWith("api-usage="));
        });
    }
}
