using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace PipelineCoach.Testing;

/// <summary>The RFC 9457 problems a service's API answers bad input with.</summary>
public static class ApiProblems
{
    /// <summary>The field names of a 400 problem's errors, asserting that the answer is one.</summary>
    public static async Task<IReadOnlyList<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(400), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        return [.. (JsonNode.Parse(text)!["errors"]?.AsObject() ?? []).Select(e => e.Key)];
    }

    /// <summary>
    /// Asserts that <paramref name="body"/>, sent with <paramref name="scopes"/>, is refused with 413: as HttpClient
    /// sends it (with a Content-Length, answered with a problem), and without a Content-Length, when the limit must
    /// hold while reading.
    /// </summary>
    public static async Task AssertTooLargeAsync<TProgram>(ServiceHost<TProgram> host, HttpMethod method, string url, string body, params string[] scopes)
        where TProgram : class
    {
        using var client = host.Client(scopes);
        var sized = await client.SendAsync(new HttpRequestMessage(method, url) { Content = JsonBody.Of(body) });
        Assert.That(sized.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), $"{method} {url}");
        Assert.That(sized.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), $"{method} {url}");

        var unsized = await host.Server.SendAsync(context =>
        {
            context.Request.Method = method.Method;
            context.Request.Path = url;
            context.Request.Headers.Authorization = $"Bearer {TestTokens.Create(scopes)}";
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        });
        Assert.That(unsized.Request.ContentLength, Is.Null);
        Assert.That(unsized.Response.StatusCode, Is.EqualTo((int)HttpStatusCode.RequestEntityTooLarge), $"{method} {url} without Content-Length");
    }
}
