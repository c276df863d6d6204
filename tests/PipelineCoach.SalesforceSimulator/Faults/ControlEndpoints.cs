using System.Text.Json;
using System.Text.Json.Serialization;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Org;
using PipelineCoach.SalesforceSimulator.OutboundMessages;
using PipelineCoach.SalesforceSimulator.ChangeEvents;
using PipelineCoach.SalesforceSimulator.Rest;
using PipelineCoach.SalesforceSimulator.Scenarios;

namespace PipelineCoach.SalesforceSimulator.Faults;

/// <summary>Body of <c>POST /control/faults</c>; absent properties leave that fault unchanged.</summary>
public sealed record FaultRequest
{
    public int? ServiceUnavailableBurst { get; init; }

    public double? LockRowShare { get; init; }

    public int? ResponseDelayMs { get; init; }

    public bool? DuplicateDeliveries { get; init; }

    public bool? ReorderDeliveries { get; init; }

    public bool? ExpireTokens { get; init; }

    public bool? ExhaustApiLimit { get; init; }
}

public sealed record FaultState(int ServiceUnavailableRemaining, double LockRowShare, int ResponseDelayMs, bool DuplicateDeliveries, bool ReorderDeliveries, int ApiUsed, int ApiMax);

public sealed record LimitsRequest(int Used, int? Max);

public sealed record EndpointsRequest(Uri? OutboundMessageUrl, Uri? ChangeEventWebhookUrl);

public sealed record DeliveryStats(
    int OutboundPending, long OutboundDelivered, long OutboundDropped, long OutboundMessagesSent, long OutboundPosts,
    int ChangeEventsPending, long ChangeEventsDelivered, long ChangeEventsFailed, long ChangeEventPosts);

public sealed record OrgSummary(
    string OrganizationId, DateOnly AsOf, string InstanceUrl, string IntegrationUsername, string ConsumerKey, string OutboundActionId,
    IReadOnlyDictionary<string, int> RecordCounts, IReadOnlyList<UserSummary> Users);

public sealed record UserSummary(string Id, string Username, string Name, string Title, string? ManagerId, string TimeZone);

public sealed record ChangeSummary(long CommitNumber, string EntityName, string RecordId, string ChangeType, IReadOnlyList<string> ChangedFields, string ChangeOrigin, string CommitUser);

public sealed record GapRequest(string EntityName, string ChangeType, IReadOnlyList<string>? RecordIds);

public sealed record TokenResponse(string AccessToken, string InstanceUrl);

public sealed record WriteResult(string? Id, bool Success, WriteError? Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(FaultRequest))]
[JsonSerializable(typeof(FaultState))]
[JsonSerializable(typeof(LimitsRequest))]
[JsonSerializable(typeof(EndpointsRequest))]
[JsonSerializable(typeof(DeliveryStats))]
[JsonSerializable(typeof(OrgSummary))]
[JsonSerializable(typeof(ScenarioOptions))]
[JsonSerializable(typeof(ScenarioReport))]
[JsonSerializable(typeof(List<ChangeSummary>))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(GapRequest))]
[JsonSerializable(typeof(WriteResult))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
public sealed partial class ControlJson : JsonSerializerContext;

/// <summary>
/// <c>/control/*</c>: the test and demo back door (no auth): faults, limits, tokens, record edits as a rep,
/// scenario runs, delivery counters and the ground truth.
/// </summary>
internal static class ControlEndpoints
{
    public static void MapControl(this IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/control");
        control.MapGet("/org", (SimulatorServices s) => Results.Json(Summary(s), ControlJson.Default.OrgSummary));
        control.MapGet("/ground-truth", (SimulatorServices s) => Results.Text(s.Org.GroundTruth.ToJson(), "application/json"));
        control.MapGet("/faults", (SimulatorServices s) => Results.Json(State(s), ControlJson.Default.FaultState));
        control.MapPost("/faults", async (HttpContext c, SimulatorServices s) =>
        {
            var request = await c.Request.ReadFromJsonAsync(ControlJson.Default.FaultRequest, c.RequestAborted) ?? new FaultRequest();
            Apply(s, request);
            return Results.Json(State(s), ControlJson.Default.FaultState);
        });
        control.MapDelete("/faults", (SimulatorServices s) =>
        {
            s.Faults.Reset();
            return Results.Json(State(s), ControlJson.Default.FaultState);
        });
        control.MapPut("/limits", async (HttpContext c, SimulatorServices s) =>
        {
            var request = await c.Request.ReadFromJsonAsync(ControlJson.Default.LimitsRequest, c.RequestAborted);
            s.Usage.Set(request?.Used ?? 0, request?.Max);
            return Results.Json(State(s), ControlJson.Default.FaultState);
        });
        control.MapPost("/tokens", (SimulatorServices s, string? username) =>
        {
            var user = username is not null && s.Org.UsernameIndex.TryGetValue(username, out var u) ? u : 0;
            return Results.Json(new TokenResponse(s.Tokens.Issue(user).AccessToken, s.BaseUrl.ToString().TrimEnd('/')), ControlJson.Default.TokenResponse);
        });
        control.MapPost("/tokens/expire", (SimulatorServices s) => Results.Ok(s.Tokens.ExpireAll()));
        control.MapPut("/endpoints", async (HttpContext c, SimulatorServices s, OutboundMessageDispatcher om, ChangeEventPublisher ce) =>
        {
            var request = await c.Request.ReadFromJsonAsync(ControlJson.Default.EndpointsRequest, c.RequestAborted);
            om.EndpointUrl = request?.OutboundMessageUrl;
            ce.WebhookUrl = request?.ChangeEventWebhookUrl;
            return Results.NoContent();
        });
        control.MapGet("/deliveries", (OutboundMessageDispatcher om, ChangeEventPublisher ce) => Results.Json(
            new DeliveryStats(om.PendingCount, om.DeliveredCount, om.DroppedCount, om.MessagesSent, om.Attempts,
                ce.PendingCount, ce.DeliveredCount, ce.FailedCount, ce.Posts),
            ControlJson.Default.DeliveryStats));
        control.MapPost("/change-events/gap", async (HttpContext c, ChangeEventPublisher ce) =>
        {
            var request = await c.Request.ReadFromJsonAsync(ControlJson.Default.GapRequest, c.RequestAborted);
            if (request is null || !request.ChangeType.StartsWith("GAP_", StringComparison.Ordinal))
            {
                return Results.BadRequest("changeType must be GAP_CREATE, GAP_UPDATE, GAP_DELETE, GAP_UNDELETE or GAP_OVERFLOW");
            }

            ce.PublishGap(request.EntityName, request.ChangeType, request.RecordIds ?? []);
            return Results.Accepted();
        });
        control.MapGet("/changes", (SimulatorServices s, long? after) => Results.Json(
            s.Writer.Journal().Where(c => c.CommitNumber > (after ?? 0)).Select(c => new ChangeSummary(
                c.CommitNumber, c.EntityName, c.RecordId, c.ChangeType.ToString().ToUpperInvariant(), c.ChangedFields, c.ChangeOrigin, c.CommitUserId)).ToList(),
            ControlJson.Default.ListChangeSummary));
        control.MapPost("/records/{type}", (HttpContext c, SimulatorServices s, string type, string? asUser) => WriteAsync(c, s, type, null, asUser));
        control.MapMethods("/records/{type}/{id}", ["PATCH"], (HttpContext c, SimulatorServices s, string type, string id, string? asUser) => WriteAsync(c, s, type, id, asUser));
        control.MapDelete("/records/{type}/{id}", (SimulatorServices s, string type, string id, string? asUser) =>
        {
            var outcome = s.Writer.Delete(WriteContext.Ui(UserIndex(s, asUser)), type, id);
            return Results.Json(new WriteResult(outcome.Id, outcome.Success, outcome.Error), ControlJson.Default.WriteResult, statusCode: outcome.Success ? 200 : 400);
        });
        control.MapPost("/scenario/day-in-the-life", async (HttpContext c, DayInTheLife scenario) =>
        {
            var options = c.Request.ContentLength > 0
                ? await c.Request.ReadFromJsonAsync(ControlJson.Default.ScenarioOptions, c.RequestAborted) ?? new ScenarioOptions()
                : new ScenarioOptions();
            var report = await scenario.RunAsync(options, c.RequestAborted);
            return Results.Json(report, ControlJson.Default.ScenarioReport);
        });
    }

    private static int UserIndex(SimulatorServices s, string? userId) =>
        userId is not null && SalesforceIds.TryParse(userId, out var prefix, out var n) && prefix == SalesforceIds.User && n < s.Org.UserRecords.Count ? (int)n : 0;

    private static async Task<IResult> WriteAsync(HttpContext c, SimulatorServices s, string type, string? id, string? asUser)
    {
        var fields = await c.Request.ReadFromJsonAsync(ControlJson.Default.DictionaryStringJsonElement, c.RequestAborted) ?? [];
        var outcome = s.Writer.Save(WriteContext.Ui(UserIndex(s, asUser)), [new WriteRequest(type, id, fields)])[0];
        return Results.Json(new WriteResult(outcome.Id, outcome.Success, outcome.Error), ControlJson.Default.WriteResult, statusCode: outcome.Success ? 200 : 400);
    }

    private static void Apply(SimulatorServices s, FaultRequest r)
    {
        if (r.ServiceUnavailableBurst is { } burst)
        {
            s.Faults.ServiceUnavailableBurst(burst);
        }

        if (r.LockRowShare is { } share)
        {
            s.Faults.LockRowShare = Math.Clamp(share, 0, 1);
        }

        if (r.ResponseDelayMs is { } delay)
        {
            s.Faults.ResponseDelay = TimeSpan.FromMilliseconds(delay);
        }

        if (r.DuplicateDeliveries is { } duplicate)
        {
            s.Faults.DuplicateDeliveries = duplicate;
        }

        if (r.ReorderDeliveries is { } reorder)
        {
            s.Faults.ReorderDeliveries = reorder;
        }

        if (r.ExpireTokens == true)
        {
            s.Tokens.ExpireAll();
        }

        if (r.ExhaustApiLimit == true)
        {
            s.Usage.Exhaust();
        }
    }

    private static FaultState State(SimulatorServices s) => new(
        s.Faults.ServiceUnavailableRemaining, s.Faults.LockRowShare, (int)s.Faults.ResponseDelay.TotalMilliseconds,
        s.Faults.DuplicateDeliveries, s.Faults.ReorderDeliveries, s.Usage.Used, s.Usage.Max);

    private static OrgSummary Summary(SimulatorServices s)
    {
        var org = s.Org;
        lock (org.Sync)
        {
            return new OrgSummary(
                org.OrganizationId,
                org.AsOf,
                s.BaseUrl.ToString().TrimEnd('/'),
                org.IntegrationUser.Username,
                s.Options.OAuth.ConsumerKey,
                SalesforceIds.Create(SalesforceIds.OutboundMessage, 1),
                org.Tables.ToDictionary(t => t.Name, t => t.Count),
                [.. org.UserRecords.Take(500).Select(u => new UserSummary(org.UserId(u.Index), u.Username, u.Name, u.Title,
                    u.ManagerIndex < 0 ? null : org.UserId(u.ManagerIndex), u.TimeZoneSidKey))]);
        }
    }
}
