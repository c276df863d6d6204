using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace PipelineCoach.Testing;

/// <summary>JSON bodies of API calls: one to send exactly as written (malformed on purpose, too), and the one answered.</summary>
public static class JsonBody
{
    public static StringContent Of(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The answer's JSON; with <paramref name="expectedStatus"/>, asserting that status first (the body is the message).</summary>
    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response, int? expectedStatus = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (expectedStatus is { } status)
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status), text);
        }

        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"Empty body ({(int)response.StatusCode})");
    }
}
