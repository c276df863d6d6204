using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PipelineCoach.Testing;

/// <summary>Local-mode bearer tokens (HS256) with chosen scopes, signed with a key made for this test run.</summary>
public static class TestTokens
{
    public const string Issuer = "pipeline-coach";
    public const string Audience = "pipeline-coach";

    public static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Create(params string[] scopes) => Create(SigningKey, scopes);

    public static string Create(string signingKey, IEnumerable<string> scopes, TimeSpan? lifetime = null)
    {
        var handler = new JsonWebTokenHandler();
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "test-user"), new Claim("scope", string.Join(' ', scopes))]),
            Expires = DateTime.UtcNow + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(signingKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    public static HttpClient WithScopes(this HttpClient client, params string[] scopes)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Create(scopes));
        return client;
    }
}
