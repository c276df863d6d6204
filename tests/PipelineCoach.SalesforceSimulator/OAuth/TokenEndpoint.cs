using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using PipelineCoach.SalesforceSimulator.Org;
using PipelineCoach.SalesforceSimulator.Rest;

namespace PipelineCoach.SalesforceSimulator.OAuth;

/// <summary><c>POST /services/oauth2/token</c>: JWT bearer and client-credentials flows (reference §4).</summary>
internal static class TokenEndpoint
{
    public const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static void MapOAuth(this IEndpointRouteBuilder app) =>
        app.MapPost("/services/oauth2/token", HandleAsync);

    private static async Task HandleAsync(HttpContext context, SimulatorServices services)
    {
        var options = services.Options.OAuth;
        if (!context.Request.HasFormContentType)
        {
            await WriteErrorAsync(context, "invalid_request", "content type must be application/x-www-form-urlencoded");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var grant = form["grant_type"].ToString();
        var result = grant switch
        {
            JwtBearerGrant => JwtBearer(form["assertion"].ToString(), services),
            "client_credentials" => ClientCredentials(context, form, services),
            _ => Result.Fail("unsupported_grant_type", "grant type not supported"),
        };
        if (result.Error is not null)
        {
            await WriteErrorAsync(context, result.Error, result.Description!);
            return;
        }

        var token = services.Tokens.Issue(result.UserIndex);
        var org = services.Org;
        var id = $"{options.LoginUrl}/id/{org.OrganizationId}/{org.UserId(result.UserIndex)}";
        var instanceUrl = options.InstanceUrl ?? services.BaseUrl.ToString().TrimEnd('/');
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.Headers.CacheControl = "no-cache,must-revalidate,max-age=0,no-store,private";
        await using var writer = new Utf8JsonWriter(context.Response.Body, SalesforceJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("access_token", token.AccessToken);
        if (grant == "client_credentials")
        {
            var issuedAt = token.IssuedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            writer.WriteString("signature", Signature(id, issuedAt, options.ConsumerSecret));
            writer.WriteString("scope", "api");
            writer.WriteString("instance_url", instanceUrl);
            writer.WriteString("id", id);
            writer.WriteString("token_type", "Bearer");
            writer.WriteString("issued_at", issuedAt);
        }
        else
        {
            writer.WriteString("scope", "api");
            writer.WriteString("instance_url", instanceUrl);
            writer.WriteString("id", id);
            writer.WriteString("token_type", "Bearer");
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>Base64 HMAC-SHA256 of <c>id + issued_at</c> keyed with the consumer secret.</summary>
    public static string Signature(string id, string issuedAt, string consumerSecret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(consumerSecret), Encoding.UTF8.GetBytes(id + issuedAt)));

    private readonly record struct Result(int UserIndex, string? Error, string? Description)
    {
        public static Result Fail(string error, string description) => new(-1, error, description);
    }

    private static Result ClientCredentials(HttpContext context, IFormCollection form, SimulatorServices services)
    {
        var options = services.Options.OAuth;
        var clientId = form["client_id"].ToString();
        var secret = form["client_secret"].ToString();
        var auth = context.Request.Headers.Authorization.ToString();
        if (auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..].Trim())).Split(':', 2);
            clientId = Uri.UnescapeDataString(pair[0]);
            secret = pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : string.Empty;
        }

        if (!string.Equals(clientId, options.ConsumerKey, StringComparison.Ordinal))
        {
            return Result.Fail("invalid_client_id", "client identifier invalid");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(options.ConsumerSecret)))
        {
            return Result.Fail("invalid_client", "invalid client credentials");
        }

        if (!options.ClientCredentialsEnabled)
        {
            return Result.Fail("invalid_grant", "no client credentials user enabled");
        }

        var username = options.ClientCredentialsUsername ?? services.Org.IntegrationUser.Username;
        return services.Org.UsernameIndex.TryGetValue(username, out var user)
            ? new Result(user, null, null)
            : Result.Fail("invalid_grant", "no client credentials user enabled");
    }

    private static Result JwtBearer(string assertion, SimulatorServices services)
    {
        var options = services.Options.OAuth;
        var invalid = Result.Fail("invalid_grant", "invalid assertion");
        var parts = assertion.Split('.');
        if (parts.Length != 3 || options.JwtCertificatePem is null)
        {
            return invalid;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64UrlDecode(parts[0]));
            if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.GetString() != "RS256")
            {
                return invalid;
            }

            using var rsa = PublicKey(options.JwtCertificatePem);
            var signed = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
            if (!rsa.VerifyData(signed, Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return invalid;
            }

            using var claims = JsonDocument.Parse(Base64UrlDecode(parts[1]));
            var root = claims.RootElement;
            if (!root.TryGetProperty("iss", out var iss) || iss.GetString() != options.ConsumerKey)
            {
                return Result.Fail("invalid_client_id", "client identifier invalid");
            }

            // The simulator is also its own login server, so its base URL is an accepted audience too.
            var self = services.BaseUrl.ToString().TrimEnd('/');
            if (!root.TryGetProperty("aud", out var aud)
                || !Audiences(aud).Select(a => a.TrimEnd('/')).Any(a => options.Audiences.Contains(a) || string.Equals(a, self, StringComparison.OrdinalIgnoreCase)))
            {
                return Result.Fail("invalid_grant", "audience is invalid");
            }

            var now = services.Options.TimeProvider.GetUtcNow();
            if (!root.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number
                || DateTimeOffset.FromUnixTimeSeconds(exp.GetInt64()) is var expires && (expires < now - ClockSkew || expires > now + options.MaxAssertionLifetime + ClockSkew))
            {
                return Result.Fail("invalid_grant", "expired authorization code");
            }

            var sub = root.TryGetProperty("sub", out var s) ? s.GetString() : null;
            if (sub is null || !services.Org.UsernameIndex.TryGetValue(sub, out var user) || !IsActive(services.Org, user))
            {
                return Result.Fail("invalid_grant", "user hasn't approved this consumer");
            }

            return new Result(user, null, null);
        }
        catch (Exception e) when (e is FormatException or JsonException or CryptographicException or ArgumentException)
        {
            return invalid;
        }
    }

    private static bool IsActive(SalesforceOrg org, int user)
    {
        lock (org.Sync)
        {
            return org.Users.Get(user, org.Users.Field("IsActive")).AsBoolean;
        }
    }

    private static IEnumerable<string> Audiences(JsonElement aud) => aud.ValueKind switch
    {
        JsonValueKind.String => [aud.GetString()!],
        JsonValueKind.Array => aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!),
        _ => [],
    };

    private static RSA PublicKey(string pem)
    {
        if (pem.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal))
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return certificate.GetRSAPublicKey() ?? throw new CryptographicException("Certificate has no RSA key.");
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    internal static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        return Convert.FromBase64String(s);
    }

    private static async Task WriteErrorAsync(HttpContext context, string error, string description)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/json;charset=UTF-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, SalesforceJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("error", error);
        writer.WriteString("error_description", description);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
