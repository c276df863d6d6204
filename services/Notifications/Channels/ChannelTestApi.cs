using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.Notifications.Channels.Chat;
using PipelineCoach.Notifications.Channels.Webhooks;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.ServiceDefaults.Http;

namespace PipelineCoach.Notifications.Channels;

/// <summary><c>POST /api/v1/channels/test</c>: sends a test message now, so an admin sees a channel work before a risk depends on it.</summary>
internal static class ChannelTestApi
{
    public sealed record TestRequest(string? Channel, string? To, Guid? DestinationId, Guid? EndpointId);

    public sealed record TestResult(string Channel, string Status, Guid DeliveryId);

    public static IEndpointRouteBuilder MapChannelTestApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/channels").WithTags("Channels")
            .MapPost("/test", TestAsync).RequireAuthorization(NotificationsScopes.Write)
            .Accepts<TestRequest>("application/json").Produces<TestResult>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static async Task<Results<Ok<TestResult>, ProblemHttpResult>> TestAsync(HttpRequest request, IEnumerable<IChannelSender> senders,
        ChatDestinationStore destinations, WebhookEndpointStore endpoints, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var (body, refusal) = await JsonRequestBody.ReadAsync<TestRequest>(request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var channel = body!.Channel;
        OutgoingMessage? message = null;
        var id = Guid.CreateVersion7();
        var notice = new Notice
        {
            Signal = "test",
            BusinessKey = $"test:{id:N}",
            Title = "Pipeline Coach test message",
            Summary = "If you can read this, this channel reaches you. Risks, escalations and agendas will arrive the same way.",
            OccurredAt = timeProvider.GetUtcNow(),
        };
        switch (channel)
        {
            case ChannelNames.Email:
                if (body.To is null || !MailAddress.TryCreate(body.To, out var address) || address.DisplayName.Length > 0 || address.Address != body.To)
                {
                    return JsonRequestBody.Invalid("to", "Give the email address to send the test to.");
                }

                message = Message(id, channel, notice) with { RecipientEmail = body.To };
                break;
            case ChannelNames.Slack or ChannelNames.Teams:
                if (body.DestinationId is not { } destination)
                {
                    return JsonRequestBody.Invalid("destinationId", $"Give the id of the {channel} chat destination to test.");
                }

                if (await destinations.GetAsync(destination, cancellationToken) is not { } found || found.Type != channel)
                {
                    return NotFound($"No {channel} chat destination {destination}.");
                }

                message = Message(id, channel, notice) with { TargetId = destination };
                break;
            case ChannelNames.Webhook:
                if (body.EndpointId is not { } endpoint)
                {
                    return JsonRequestBody.Invalid("endpointId", "Give the id of the webhook endpoint to test.");
                }

                if (await endpoints.GetAsync(endpoint, cancellationToken) is null)
                {
                    return NotFound($"No webhook endpoint {endpoint}.");
                }

                message = Message(id, channel, notice) with { TargetId = endpoint };
                break;
            default:
                return JsonRequestBody.Invalid("channel", $"Use one of: {ChannelNames.Email}, {ChannelNames.Slack}, {ChannelNames.Teams}, {ChannelNames.Webhook}.");
        }

        var sender = senders.FirstOrDefault(s => s.Channel == channel);
        var outcome = sender is null ? SendOutcome.Refused($"no sender for channel '{channel}'") : await sender.SendAsync(message, cancellationToken);
        return outcome.IsSent
            ? TypedResults.Ok(new TestResult(channel, "sent", id))
            : TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The test message was not delivered", detail: outcome.Error);
    }

    private static OutgoingMessage Message(Guid id, string channel, Notice notice) =>
        new() { DeliveryId = id, BusinessKey = notice.BusinessKey, Channel = channel, Attempt = 1, Notice = notice };

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}
