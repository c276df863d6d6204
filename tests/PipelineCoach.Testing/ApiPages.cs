using System.Text.Json.Nodes;
using NUnit.Framework;

namespace PipelineCoach.Testing;

/// <summary>The cursor-paginated lists of a service's API (<c>{ "items", "nextCursor" }</c>), read to the end.</summary>
public static class ApiPages
{
    private const int MaxPages = 1000;

    /// <summary>
    /// Every page of <paramref name="url"/> (a path, with or without a query), <paramref name="limit"/> items at a time,
    /// following <c>nextCursor</c> until there is none; asserting each page is a 200 holding no more than the limit,
    /// and that a cursor never leads to an empty page.
    /// </summary>
    public static async Task<IReadOnlyList<IReadOnlyList<JsonNode>>> ReadAllAsync(HttpClient client, string url, int limit)
    {
        var pages = new List<IReadOnlyList<JsonNode>>();
        string? cursor = null;
        do
        {
            var query = $"{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}limit={limit}{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}";
            var page = await JsonBody.ReadAsync(await client.GetAsync(url + query), 200);
            var items = page["items"]!.AsArray().Select(item => item!).ToList();
            Assert.That(items, Has.Count.InRange(cursor is null ? 0 : 1, limit), url + query);
            pages.Add(items);
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null && pages.Count < MaxPages);

        Assert.That(cursor, Is.Null, $"{url}: still a next page after {MaxPages}");
        return pages;
    }
}
