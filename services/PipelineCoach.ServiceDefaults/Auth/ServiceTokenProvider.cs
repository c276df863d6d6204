using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PipelineCoach.ServiceDefaults.Auth;

/// <summary>
/// Bearer tokens for calls to other services, per set of scopes, cached until shortly before they expire: from the
/// configured issuer by client credentials, or, in local mode, minted (HS256) from the local signing key that every
/// local service validates with.
/// </summary>
/// <remarks>
/// Expiry is judged on <paramref name="clock"/>, which should be the wall clock: the issuer and the called service
/// check the token's times against theirs, whatever clock this service schedules with (tests fake that one).
/// </remarks>
public sealed partial class ServiceTokenProvider(
    IHttpClientFactory httpClientFactory,
    IOptions<AuthOptions> auth,
    IOptions<ClientCredentialsOptions> credentials,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<ServiceTokenProvider> logger)
{
    /// <summary>The HTTP client the token endpoint is called with.</summary>
    public const string HttpClientName = "service-token";

    /// <summary>How long a locally minted token lives.</summary>
    public static readonly TimeSpan LocalLifetime = TimeSpan.FromMinutes(5);

    /// <summary>A token is replaced this long before it expires (or at half its life, when that is shorter).</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, CachedToken> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>A valid access token carrying <paramref name="scopes"/>.</summary>
    public async Task<string> GetAsync(IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        var key = string.Join(' ', scopes.Order(StringComparer.Ordinal));
        if (_tokens.TryGetValue(key, out var cached) && clock.GetUtcNow() < cached.RenewAt)
        {
            return cached.AccessToken;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_tokens.TryGetValue(key, out cached) && clock.GetUtcNow() < cached.RenewAt)
            {
                return cached.AccessToken;
            }

            var issued = credentials.Value.IsConfigured ? await RequestAsync(key, cancellationToken) : Mint(key);
            _tokens[key] = issued;
            return issued.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the cached token for <paramref name="scopes"/> (the callee answered 401).</summary>
    public void Invalidate(IReadOnlyCollection<string> scopes) => _tokens.TryRemove(string.Join(' ', scopes.Order(StringComparer.Ordinal)), out _);

    private CachedToken Mint(string scope)
    {
        var options = auth.Value;
        var key = options.LocalKeyBytes()
            ?? throw new InvalidOperationException("Service tokens need Auth:ClientCredentials (an issuer) or Auth:SigningKey (local mode).");
        var now = clock.GetUtcNow();
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", environment.ApplicationName), new Claim("scope", scope)]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + LocalLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
        LogMinted(logger, scope, LocalLifetime);
        return Cache(token, now, LocalLifetime);
    }

    private async Task<CachedToken> RequestAsync(string scope, CancellationToken cancellationToken)
    {
        var settings = credentials.Value;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = settings.ClientId!,
            ["client_secret"] = settings.ClientSecret!,
            ["scope"] = scope,
        };
        if (settings.Audience is { Length: > 0 } audience)
        {
            form["audience"] = audience;
        }

        var now = clock.GetUtcNow();
        using var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.PostAsync(settings.TokenEndpoint, new FormUrlEncodedContent(form), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The error code only: an issuer's description may echo what was sent.
            var error = await ReadErrorAsync(response, cancellationToken);
            throw new HttpRequestException($"The token endpoint refused the client credentials for '{scope}': {(int)response.StatusCode} {error}", null, response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        if (body?.AccessToken is not { Length: > 0 } accessToken)
        {
            throw new HttpRequestException("The token endpoint answered without an access_token.");
        }

        var lifetime = TimeSpan.FromSeconds(body.ExpiresIn is > 0 ? body.ExpiresIn.Value : LocalLifetime.TotalSeconds);
        LogIssued(logger, scope, lifetime);
        return Cache(accessToken, now, lifetime);
    }

    private static CachedToken Cache(string token, DateTimeOffset now, TimeSpan lifetime)
    {
        var margin = lifetime / 2 < RenewBefore ? lifetime / 2 : RenewBefore;
        return new CachedToken(token, now + lifetime - margin);
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<TokenError>(cancellationToken))?.Error ?? "";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }

    private sealed record CachedToken(string AccessToken, DateTimeOffset RenewAt);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] int? ExpiresIn);

    private sealed record TokenError([property: JsonPropertyName("error")] string? Error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Service token minted locally for scopes '{Scopes}', valid {Lifetime}")]
    private static partial void LogMinted(ILogger logger, string scopes, TimeSpan lifetime);

    [LoggerMessage(Level = LogLevel.Information, Message = "Service token issued by client credentials for scopes '{Scopes}', valid {Lifetime}")]
    private static partial void LogIssued(ILogger logger, string scopes, TimeSpan lifetime);
}
