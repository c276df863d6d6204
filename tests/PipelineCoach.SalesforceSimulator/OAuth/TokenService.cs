using System.Collections.Concurrent;
using System.Security.Cryptography;
using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.OAuth;

public sealed record IssuedToken(string AccessToken, int UserIndex, DateTimeOffset IssuedAt);

/// <summary>Issues opaque access tokens and answers whether one is still a live session.</summary>
public sealed class TokenService(SalesforceOrg org, OAuthOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Session> sessions = new(StringComparer.Ordinal);

    private sealed class Session(int userIndex, DateTimeOffset issuedAt)
    {
        public int UserIndex { get; } = userIndex;

        public DateTimeOffset IssuedAt { get; } = issuedAt;

        public DateTimeOffset LastUsed { get; set; } = issuedAt;

        public bool Revoked { get; set; }
    }

    /// <summary>Mints a token for a user (tests may skip the OAuth round trip).</summary>
    public IssuedToken Issue(int userIndex)
    {
        var token = $"{org.OrganizationId[..15]}!AR{Base64Url(RandomNumberGenerator.GetBytes(48))}";
        var now = time.GetUtcNow();
        sessions[token] = new Session(userIndex, now);
        return new IssuedToken(token, userIndex, now);
    }

    /// <summary>The user of a live token; activity extends the session like Salesforce's inactivity timeout.</summary>
    public bool TryValidate(string? token, out int userIndex)
    {
        userIndex = -1;
        if (token is null || !sessions.TryGetValue(token, out var session))
        {
            return false;
        }

        lock (session)
        {
            var now = time.GetUtcNow();
            if (session.Revoked || now - session.LastUsed >= options.SessionTimeout)
            {
                return false;
            }

            session.LastUsed = now;
            userIndex = session.UserIndex;
            return true;
        }
    }

    /// <summary>Expires every issued token (next call: 401 <c>INVALID_SESSION_ID</c>).</summary>
    public int ExpireAll()
    {
        var count = 0;
        foreach (var session in sessions.Values)
        {
            lock (session)
            {
                count += session.Revoked ? 0 : 1;
                session.Revoked = true;
            }
        }

        return count;
    }

    public bool Expire(string token)
    {
        if (!sessions.TryGetValue(token, out var session))
        {
            return false;
        }

        lock (session)
        {
            session.Revoked = true;
        }

        return true;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '.').Replace('/', '_');
}
