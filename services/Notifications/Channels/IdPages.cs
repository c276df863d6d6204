using System.Buffers.Text;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.ServiceDefaults.Http;

namespace PipelineCoach.Notifications.Channels;

/// <summary>
/// The lists of chat destinations and webhook endpoints: pages in id order (ids are version 7: creation order),
/// <c>limit</c> 1–200 (50 by default), and a cursor that is the page's last id, base64url so that callers treat it
/// as opaque and the keyset can change form without breaking a contract.
/// </summary>
internal static class IdPages
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;

    /// <summary>A page of <paramref name="list"/> (asked for one row more than the page, to know whether another follows), or a 400 naming the bad parameter.</summary>
    /// <param name="list">The rows after an id (null: from the start), at most as many as asked for.</param>
    public static async Task<Results<Ok<Page<TView>>, ProblemHttpResult>> ListAsync<TRow, TView>(string? cursor, string? limit,
        Func<Guid?, int, Task<IReadOnlyList<TRow>>> list, Func<TRow, TView> view, Func<TView, Guid> idOf)
    {
        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
        {
            return JsonRequestBody.Invalid("limit", $"Use a whole number from 1 to {MaxLimit}.");
        }

        Guid? after = null;
        if (cursor is not null)
        {
            if (!TryReadCursor(cursor, out var id))
            {
                return JsonRequestBody.Invalid("cursor", "Not a cursor returned by this API.");
            }

            after = id;
        }

        var rows = await list(after, take + 1);
        var items = rows.Take(take).Select(view).ToList();
        return TypedResults.Ok(new Page<TView>(items, rows.Count > take ? Cursor(idOf(items[^1])) : null));
    }

    private static string Cursor(Guid lastId) => Base64Url.EncodeToString(lastId.ToByteArray(bigEndian: true));

    private static bool TryReadCursor(string cursor, out Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (Base64Url.IsValid(cursor, out var length) && length == 16 && Base64Url.TryDecodeFromChars(cursor, bytes, out var written) && written == 16)
        {
            id = new Guid(bytes, bigEndian: true);
            return true;
        }

        id = Guid.Empty;
        return false;
    }
}
