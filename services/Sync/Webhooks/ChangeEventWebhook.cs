using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PipelineCoach.ServiceDefaults.Http;
using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Sync.Webhooks;

internal static class ChangeEventWebhook
{
    public static void MapChangeEventWebhook(this WebApplication app)
    {
        app.MapGroup("/webhooks/salesforce")
            .WithTags("Webhooks")
            .MapPost("/change-events", Receive)
            .WithName("ReceiveChangeEvents")
            .WithSummary("Salesforce change events (CometD data.payload, one or an array), signed per Standard Webhooks.")
            .Accepts<object>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .AllowAnonymous(); // authenticated by its signature, not by a bearer token
    }

    private static async Task<Results<Ok<IngestResult>, ProblemHttpResult, ValidationProblem>> Receive(
        HttpRequest request,
        StandardWebhooksVerifier verifier,
        ChangeEventIngestor ingestor,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        using var body = await LimitedRequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
                detail: $"Change-event deliveries are limited to {options.Value.MaxBodyBytes} bytes.");
        }

        var id = request.Headers[StandardWebhooks.IdHeader].ToString();
        var verification = verifier.Webhooks.Verify(
            id,
            request.Headers[StandardWebhooks.TimestampHeader].ToString(),
            request.Headers[StandardWebhooks.SignatureHeader].ToString(),
            body.Memory.Span,
            time.GetUtcNow(),
            options.Value.Tolerance);
        if (verification != WebhookVerification.Valid)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Webhook verification failed",
                detail: verification switch
                {
                    WebhookVerification.MissingHeaders => "The webhook-id, webhook-timestamp and webhook-signature headers are required.",
                    WebhookVerification.MalformedTimestamp => "webhook-timestamp must be Unix seconds.",
                    WebhookVerification.TimestampOutsideTolerance => $"webhook-timestamp is outside the {options.Value.Tolerance.TotalMinutes:0}-minute replay window.",
                    _ => "webhook-signature does not match the body for any configured secret.",
                });
        }

        var parsed = ChangeEventParser.Parse(body.Memory);
        if (!parsed.IsValid)
        {
            return TypedResults.ValidationProblem(parsed.Errors, title: "Invalid change events");
        }

        return TypedResults.Ok(await ingestor.IngestAsync(id, parsed.Events, cancellationToken));
    }
}

/// <summary>The verifier built once from the configured secrets.</summary>
internal sealed class StandardWebhooksVerifier(IOptions<WebhookOptions> options)
{
    public StandardWebhooks Webhooks { get; } = new(options.Value.ChangeEventSecrets);
}
