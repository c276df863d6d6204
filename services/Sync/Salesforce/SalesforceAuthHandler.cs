using System.Net;
using System.Net.Http.Headers;

namespace PipelineCoach.Sync.Salesforce;

/// <summary>
/// Sends each call to the token's instance with its bearer token; on 401 (INVALID_SESSION_ID: expired or revoked)
/// it mints a new token once and replays the call.
/// </summary>
public sealed class SalesforceAuthHandler(SalesforceTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken); // so the body can be sent twice
        }

        var token = await tokens.GetAsync(cancellationToken);
        var response = await SendWithAsync(token, request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        tokens.Invalidate(token);
        return await SendWithAsync(await tokens.GetAsync(cancellationToken), request, cancellationToken);
    }

    private Task<HttpResponseMessage> SendWithAsync(SalesforceToken token, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.RequestUri = new Uri(token.InstanceUrl, request.RequestUri!.PathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return base.SendAsync(request, cancellationToken);
    }
}
