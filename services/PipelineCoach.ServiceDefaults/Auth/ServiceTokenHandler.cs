using System.Net;
using System.Net.Http.Headers;

namespace PipelineCoach.ServiceDefaults.Auth;

/// <summary>
/// Puts a service token with <paramref name="scopes"/> on every outgoing request; on a 401 it drops the cached token
/// and tries once more with a fresh one (the callee may have rotated keys, or the token expired in flight).
/// </summary>
public sealed class ServiceTokenHandler(ServiceTokenProvider tokens, IReadOnlyCollection<string> scopes) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(scopes, cancellationToken));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        tokens.Invalidate(scopes);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(scopes, cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
