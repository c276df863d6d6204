namespace PipelineCoach.SalesforceSimulator.Rest;

/// <summary>
/// In front of every <c>/services/data</c> call: injected delay and 503 bursts, the bearer token, the daily
/// allowance, and the <c>Sforce-Limit-Info</c> header on every response.
/// </summary>
internal sealed class ApiGate(RequestDelegate next, SimulatorServices services)
{
    public const string UserItem = "sf-user";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var isData = path.StartsWithSegments("/services/data", StringComparison.OrdinalIgnoreCase);
        var isOAuth = path.StartsWithSegments("/services/oauth2", StringComparison.OrdinalIgnoreCase);
        if (!isData && !isOAuth)
        {
            await next(context);
            return;
        }

        var delay = services.Faults.ResponseDelay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, services.Options.TimeProvider, context.RequestAborted);
        }

        if (isOAuth)
        {
            await next(context);
            return;
        }

        context.Response.OnStarting(() =>
        {
            context.Response.Headers["Sforce-Limit-Info"] = services.Usage.Header;
            return Task.CompletedTask;
        });

        if (services.Faults.TakeServiceUnavailable())
        {
            await SalesforceJson.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "SERVER_UNAVAILABLE", "Service temporarily unavailable; retry later.");
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.StartsWith("OAuth ", StringComparison.OrdinalIgnoreCase)
            ? authorization[(authorization.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim()
            : null;
        if (!services.Tokens.TryValidate(token, out var user))
        {
            context.Response.Headers.WWWAuthenticate = "Token";
            await SalesforceJson.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "INVALID_SESSION_ID", "Session expired or invalid");
            return;
        }

        if (!services.Usage.TryTake())
        {
            await SalesforceJson.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
            return;
        }

        context.Items[UserItem] = user;
        await next(context);
    }
}
