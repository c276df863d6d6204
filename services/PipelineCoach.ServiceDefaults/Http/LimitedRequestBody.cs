using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace PipelineCoach.ServiceDefaults.Http;

/// <summary>
/// A request body read whole into a pooled buffer, refused as soon as it exceeds a limit. Webhooks need the exact
/// bytes (signatures, streaming XML) and must never buffer an unbounded body. Dispose returns the buffer.
/// </summary>
public sealed class LimitedRequestBody : IDisposable
{
    private byte[]? _buffer;

    private LimitedRequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Reads the body, or returns null (having read no more than <paramref name="limit"/> + 1 bytes) when it is larger.</summary>
    public static async Task<LimitedRequestBody?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 64 * 1024, limit) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return new LimitedRequestBody(buffer, length);
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public Stream AsStream() => new MemoryStream(_buffer!, 0, Length, writable: false);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
