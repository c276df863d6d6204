using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PipelineCoach.ServiceDefaults.Http;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Webhooks.OutboundMessages;

internal static class OutboundMessageWebhook
{
    public static void MapOutboundMessageWebhook(this WebApplication app)
    {
        app.MapGroup("/webhooks/salesforce")
            .WithTags("Webhooks")
            .MapPost("/outbound-messages/{secret?}", Receive)
            .WithName("ReceiveOutboundMessages")
            .WithSummary("Salesforce SOAP 1.1 outbound messages (Opportunity, Account, User, OpportunityContactRole); answers the SOAP Ack once stored.")
            .Accepts<string>("text/xml")
            .Produces<string>(StatusCodes.Status200OK, "text/xml")
            .Produces<string>(StatusCodes.Status413PayloadTooLarge, "text/xml")
            .Produces<string>(StatusCodes.Status500InternalServerError, "text/xml")
            .AllowAnonymous(); // authenticated by org id, path secret and optionally the client certificate
    }

    private static async Task<IResult> Receive(
        string? secret,
        HttpContext context,
        OutboundMessageGate gate,
        OutboundMessageIngestor ingestor,
        ILogger<OutboundMessageIngestor> logger,
        CancellationToken cancellationToken)
    {
        if (!gate.SecretMatches(secret))
        {
            return Results.NotFound(); // indistinguishable from a path that does not exist
        }

        if (gate.RequiresClientCertificate
            && !gate.ClientCertificateAccepted(await context.Connection.GetClientCertificateAsync(cancellationToken)))
        {
            logger.LogWarning("Refused an outbound message from {RemoteIp}: no accepted client certificate", context.Connection.RemoteIpAddress);
            return Fault(StatusCodes.Status403Forbidden, client: true, "A client certificate accepted by this endpoint is required.");
        }

        var limit = gate.MaxBodyBytes;
        using var body = await LimitedRequestBody.ReadAsync(context.Request, limit, cancellationToken);
        if (body is null)
        {
            return TooLarge(limit);
        }

        OutboundMessageParseResult parsed;
        using (var xml = body.AsStream())
        {
            parsed = OutboundMessageParser.Parse(xml, limit);
        }

        if (!parsed.IsValid)
        {
            logger.LogWarning("Refused a malformed outbound message: {Reason}", parsed.Error);
            return parsed.TooLarge ? TooLarge(limit) : Fault(StatusCodes.Status500InternalServerError, client: true, parsed.Error!);
        }

        var message = parsed.Message!;
        if (!gate.OrganizationAccepted(message.OrganizationId))
        {
            logger.LogWarning("Refused an outbound message from org {OrganizationId} (action {ActionId}): not a configured org",
                message.OrganizationId, message.ActionId);
            return Fault(StatusCodes.Status500InternalServerError, client: true,
                $"OrganizationId {message.OrganizationId} is not an org this endpoint serves.");
        }

        if (message.HasSessionId)
        {
            logger.LogWarning("Outbound message definition {ActionId} sends a session id; turn 'Send Session ID' off, Sync never uses it",
                message.ActionId);
        }

        OutboundIngestResult result;
        try
        {
            result = await ingestor.IngestAsync(message, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Could not store an outbound message of {Notifications} notification(s) from action {ActionId}",
                message.Notifications.Count, message.ActionId);
            return Fault(StatusCodes.Status500InternalServerError, client: false, "The message could not be stored; please retry.");
        }

        logger.LogInformation(
            "Stored outbound message from action {ActionId}: {Notifications} notification(s), {Duplicates} duplicate(s), {Applied} applied, {Stale} stale",
            message.ActionId, result.Notifications, result.Duplicates, result.Applied, result.Stale);
        return Results.Bytes(SoapResponses.AckBytes, SoapResponses.ContentType);
    }

    private static IResult TooLarge(int limit) =>
        Fault(StatusCodes.Status413PayloadTooLarge, client: true, $"Outbound messages are limited to {limit} bytes.");

    private static IResult Fault(int status, bool client, string reason) =>
        Results.Text(SoapResponses.Fault(client, reason), SoapResponses.ContentType, Encoding.UTF8, status);
}

/// <summary>Who may post outbound messages: the path secret, the accepted orgs and client certificates, the size limit.</summary>
internal sealed class OutboundMessageGate
{
    private readonly byte[][] _secretHashes;
    private readonly HashSet<string> _organizations;
    private readonly HashSet<string> _thumbprints;

    public OutboundMessageGate(IOptions<OutboundMessageOptions> options, IOptions<SalesforceOrgOptions> org)
    {
        var o = options.Value;
        _secretHashes = string.IsNullOrEmpty(o.Secret)
            ? []
            : [.. o.PreviousSecrets.Prepend(o.Secret).Where(s => !string.IsNullOrEmpty(s)).Select(s => SHA256.HashData(Encoding.UTF8.GetBytes(s)))];
        _organizations = new HashSet<string>(
            o.AdditionalOrganizationIds.Append(org.Value.OrganizationId).Select(SalesforceId.Normalize), StringComparer.Ordinal);
        _thumbprints = new HashSet<string>(o.ClientCertificateThumbprints.Select(t => t.Replace(":", "", StringComparison.Ordinal)), StringComparer.OrdinalIgnoreCase);
        MaxBodyBytes = o.MaxBodyBytes;
    }

    public int MaxBodyBytes { get; }

    public bool RequiresClientCertificate => _thumbprints.Count > 0;

    /// <summary>
    /// Compares hashes in constant time against every accepted secret, so neither a secret's content nor its length
    /// leaks through timing.
    /// </summary>
    public bool SecretMatches(string? presented)
    {
        if (_secretHashes.Length == 0)
        {
            return presented is null;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? ""));
        var matches = false;
        foreach (var secret in _secretHashes)
        {
            matches |= CryptographicOperations.FixedTimeEquals(secret, hash);
        }

        return matches && presented is not null;
    }

    public bool OrganizationAccepted(string organizationId) => _organizations.Contains(organizationId);

    public bool ClientCertificateAccepted(System.Security.Cryptography.X509Certificates.X509Certificate2? certificate) =>
        certificate is not null && _thumbprints.Contains(certificate.Thumbprint);
}
