using Dapper;
using Npgsql;
using PipelineCoach.Notifications.Secrets;

namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>
/// Chat destinations. Opens its own connection from the data source for every call (each write is one statement).
/// The URL is written only as Data Protection ciphertext and read back decrypted only for a sender (<see cref="TargetAsync"/>).
/// </summary>
internal sealed class ChatDestinationStore(NpgsqlDataSource dataSource, SecretProtector protector)
{
    private const string SelectRow =
        $"""
        SELECT id AS {nameof(ChatDestinationRow.Id)}, type AS {nameof(ChatDestinationRow.Type)}, url_display AS {nameof(ChatDestinationRow.UrlDisplay)},
               name AS {nameof(ChatDestinationRow.Name)}, manager_id AS {nameof(ChatDestinationRow.ManagerId)}, signals AS {nameof(ChatDestinationRow.Signals)},
               created_at AS {nameof(ChatDestinationRow.CreatedAt)}, updated_at AS {nameof(ChatDestinationRow.UpdatedAt)}
        FROM chat_destinations
        """;

    /// <summary>Stores a validated request (its URL given).</summary>
    public async Task InsertAsync(Guid id, ChatDestinationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO chat_destinations (id, type, url, url_display, name, manager_id, signals, created_at, updated_at)
            VALUES (@id, @type, @url, @urlDisplay, @name, @managerId, @signals, @now, @now)
            """,
            new
            {
                id,
                type = request.Type,
                url = protector.Protect(request.Url!),
                urlDisplay = DisplayOf(request.Url!),
                name = request.Name,
                managerId = request.ManagerId,
                signals = request.Signals!.ToArray(),
                now,
            },
            cancellationToken: cancellationToken));
    }

    public async Task<ChatDestinationRow?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ChatDestinationRow>(new CommandDefinition(
            $"{SelectRow} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Destinations in id order (ids are version 7: creation order), after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<ChatDestinationRow>> ListAsync(Guid? after, int take, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<ChatDestinationRow>(new CommandDefinition(
            $"{SelectRow} WHERE @after::uuid IS NULL OR id > @after ORDER BY id LIMIT @take", new { after, take }, cancellationToken: cancellationToken))];
    }

    /// <summary>Replaces a destination with a validated request; a request without a URL keeps the stored one. False when unknown.</summary>
    public async Task<bool> UpdateAsync(Guid id, ChatDestinationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE chat_destinations
            SET type = @type, url = coalesce(@url, url), url_display = coalesce(@urlDisplay, url_display), name = @name,
                manager_id = @managerId, signals = @signals, updated_at = @now
            WHERE id = @id
            """,
            new
            {
                id,
                type = request.Type,
                url = request.Url is null ? null : protector.Protect(request.Url),
                urlDisplay = request.Url is null ? null : DisplayOf(request.Url),
                name = request.Name,
                managerId = request.ManagerId,
                signals = request.Signals!.ToArray(),
                now,
            },
            cancellationToken: cancellationToken)) > 0;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM chat_destinations WHERE id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>The destination with its URL decrypted, for a sender; null when it does not exist (any more).</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The key that encrypted the URL is gone from the key ring.</exception>
    public async Task<ChatTarget?> TargetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Type, string Name, byte[] Url, string UrlDisplay)>(new CommandDefinition(
            "SELECT type, name, url, url_display FROM chat_destinations WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row.Type is null ? null : new ChatTarget(id, row.Type, row.Name, new Uri(protector.Unprotect(row.Url)), row.UrlDisplay);
    }

    /// <summary>What may be shown of a chat URL: scheme and host. Its path (and a Teams URL's query) is the credential.</summary>
    public static string DisplayOf(string url)
    {
        var uri = new Uri(url);
        return $"{uri.Scheme}://{uri.Host}/…";
    }
}
