using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace PipelineCoach.Sync.Salesforce;

/// <summary>An access token and the instance it is valid for.</summary>
public sealed record SalesforceToken(string AccessToken, Uri InstanceUrl);

/// <summary>
/// Obtains and caches the integration user's access token (JWT bearer or client credentials). Salesforce issues no
/// refresh token and states no lifetime, so the token is kept until an API call answers 401 INVALID_SESSION_ID,
/// which invalidates it; the next caller mints a new one.
/// </summary>
public sealed partial class SalesforceTokenProvider(
    IHttpClientFactory httpClientFactory,
    IOptions<SalesforceApiOptions> options,
    TimeProvider time,
    ILogger<SalesforceTokenProvider> logger)
{
    public const string HttpClientName = "salesforce-oauth";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SalesforceToken? _token;

    public async Task<SalesforceToken> GetAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _token ??= await RequestAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="rejected"/> (unless another caller already replaced it).</summary>
    public void Invalidate(SalesforceToken rejected) => Interlocked.CompareExchange(ref _token, null, rejected);

    private async Task<SalesforceToken> RequestAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var form = settings.AuthFlow == SalesforceAuthFlow.JwtBearer
            ? new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
                ["assertion"] = CreateAssertion(settings, time.GetUtcNow()),
            }
            : new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = settings.ConsumerKey!,
                ["client_secret"] = settings.ConsumerSecret!,
            };

        using var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.PostAsync(new Uri(new Uri(settings.LoginUrl!), "/services/oauth2/token"), new FormUrlEncodedContent(form), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadFromJsonAsync<TokenError>(cancellationToken);
            throw new SalesforceAuthException($"Salesforce refused the {settings.AuthFlow} token request: {error?.Error} — {error?.Description}");
        }

        var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
            ?? throw new SalesforceAuthException("Salesforce returned an empty token response.");
        LogTokenIssued(logger, settings.AuthFlow.ToString(), token.InstanceUrl);
        return new SalesforceToken(token.AccessToken, new Uri(token.InstanceUrl));
    }

    /// <summary>The RS256 assertion: iss = consumer key, sub = username, aud = login URL, exp within 3 minutes.</summary>
    public static string CreateAssertion(SalesforceApiOptions settings, DateTimeOffset now)
    {
        var header = Base64Url("""{"alg":"RS256"}"""u8);
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = settings.ConsumerKey!,
            ["sub"] = settings.Username!,
            ["aud"] = settings.Audience ?? settings.LoginUrl!,
            ["exp"] = (now + TimeSpan.FromMinutes(3)).ToUnixTimeSeconds(),
        });
        var signingInput = $"{header}.{Base64Url(claims)}";
        using var rsa = RSA.Create();
        rsa.ImportFromPem(settings.PrivateKeyPem);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("instance_url")] string InstanceUrl);

    private sealed record TokenError(
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? Description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Salesforce access token issued ({Flow}) for {InstanceUrl}")]
    private static partial void LogTokenIssued(ILogger logger, string flow, string instanceUrl);
}

public sealed class SalesforceAuthException(string message) : Exception(message);

/// <summary>The daily API allowance is spent (403 REQUEST_LIMIT_EXCEEDED); calls are paused until <see cref="Until"/>.</summary>
public sealed class SalesforceLimitExceededException(DateTimeOffset until)
    : Exception($"Salesforce API allowance exhausted; calls paused until {until:O}.")
{
    public DateTimeOffset Until { get; } = until;
}
