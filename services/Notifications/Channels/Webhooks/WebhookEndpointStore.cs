using Dapper;
using Npgsql;
using PipelineCoach.Notifications.Secrets;

namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>
/// Webhook endpoints. Opens its own connection from the data source for each call; every write is one statement.
/// Secrets go in and come out in the clear here and are Data Protection ciphertext in the table.
/// </summary>
internal sealed class WebhookEndpointStore(NpgsqlDataSource dataSource, SecretProtector protector)
{
    private const string SelectRow =
        $"""
        SELECT id AS {nameof(WebhookEndpointRow.Id)}, url AS {nameof(WebhookEndpointRow.Url)},
               description AS {nameof(WebhookEndpointRow.Description)}, signals AS {nameof(WebhookEndpointRow.Signals)},
               is_enabled AS {nameof(WebhookEndpointRow.IsEnabled)}, disabled_reason AS {nameof(WebhookEndpointRow.DisabledReason)},
               failing_since AS {nameof(WebhookEndpointRow.FailingSince)}, created_at AS {nameof(WebhookEndpointRow.CreatedAt)},
               updated_at AS {nameof(WebhookEndpointRow.UpdatedAt)}
        FROM webhook_endpoints
        """;

    public async Task InsertAsync(Guid id, string url, IReadOnlyList<string> signals, string? description, string secret, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO webhook_endpoints (id, url, description, signals, secret, created_at, updated_at)
            VALUES (@id, @url, @description, @signals, @secret, @now, @now)
            """,
            new { id, url, description, signals = signals.ToArray(), secret = protector.Protect(secret), now }, cancellationToken: cancellationToken));
    }

    public async Task<WebhookEndpointRow?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<WebhookEndpointRow>(new CommandDefinition(
            $"{SelectRow} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Endpoints in id order (ids are version 7: creation order to the millisecond), after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<WebhookEndpointRow>> ListAsync(Guid? after, int take, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<WebhookEndpointRow>(new CommandDefinition(
            $"{SelectRow} WHERE (@after::uuid IS NULL OR id > @after) ORDER BY id LIMIT @take",
            new { after, take }, cancellationToken: cancellationToken))];
    }

    /// <summary>Replaces what the caller chose (URL, signals, description); false when the endpoint is unknown.</summary>
    public async Task<bool> UpdateAsync(Guid id, string url, IReadOnlyList<string> signals, string? description, DateTimeOffset now,
        CancellationToken cancellationToken) => await ExecuteAsync(
        "UPDATE webhook_endpoints SET url = @url, signals = @signals, description = @description, updated_at = @now WHERE id = @id",
        new { id, url, signals = signals.ToArray(), description, now }, cancellationToken);

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM webhook_endpoints WHERE id = @id", new { id }, cancellationToken);

    /// <summary>
    /// Makes <paramref name="secret"/> current; the current one becomes the previous, signing beside it until
    /// <paramref name="previousExpiresAt"/>. A secret rotated out earlier is dropped. False when the endpoint is unknown.
    /// </summary>
    public async Task<bool> RotateSecretAsync(Guid id, string secret, DateTimeOffset previousExpiresAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            """
            UPDATE webhook_endpoints
            SET previous_secret = secret, secret = @secret, previous_expires_at = @previousExpiresAt, updated_at = @now
            WHERE id = @id
            """,
            new { id, secret = protector.Protect(secret), previousExpiresAt, now }, cancellationToken);

    /// <summary>Enables the endpoint and forgets its failure streak; false when unknown.</summary>
    public async Task<bool> EnableAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken) => await ExecuteAsync(
        "UPDATE webhook_endpoints SET is_enabled = true, disabled_reason = NULL, failing_since = NULL, updated_at = @now WHERE id = @id",
        new { id, now }, cancellationToken);

    /// <summary>Disables the endpoint, saying why (shown in the API and in each refused send); false when unknown.</summary>
    public async Task<bool> DisableAsync(Guid id, string reason, DateTimeOffset now, CancellationToken cancellationToken) => await ExecuteAsync(
        "UPDATE webhook_endpoints SET is_enabled = false, disabled_reason = @reason, updated_at = @now WHERE id = @id",
        new { id, reason, now }, cancellationToken);

    /// <summary>The endpoint as a send needs it, with the secrets live at <paramref name="now"/>; null when unknown.</summary>
    public async Task<WebhookTarget?> TargetAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TargetRow>(new CommandDefinition(
            $"""
            SELECT url AS {nameof(TargetRow.Url)}, is_enabled AS {nameof(TargetRow.IsEnabled)}, disabled_reason AS {nameof(TargetRow.DisabledReason)},
                   secret AS {nameof(TargetRow.Secret)},
                   CASE WHEN previous_expires_at > @now THEN previous_secret END AS {nameof(TargetRow.PreviousSecret)},
                   failing_since AS {nameof(TargetRow.FailingSince)}
            FROM webhook_endpoints WHERE id = @id
            """, new { id, now }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        List<string> secrets = [protector.Unprotect(row.Secret)];
        if (row.PreviousSecret is { } previous)
        {
            secrets.Add(protector.Unprotect(previous));
        }

        var failingSince = row.FailingSince is { } since ? new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        return new WebhookTarget(row.Url, row.IsEnabled, row.DisabledReason, secrets, failingSince);
    }

    /// <summary>A 2xx ends the endpoint's failure streak.</summary>
    public async Task RecordSuccessAsync(Guid id, CancellationToken cancellationToken) => await ExecuteAsync(
        "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = @id AND failing_since IS NOT NULL", new { id }, cancellationToken);

    /// <summary>Starts the failure streak at <paramref name="now"/> unless one is running; returns when it started (null when unknown).</summary>
    public async Task<DateTimeOffset?> RecordFailureAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var since = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, @now) WHERE id = @id RETURNING failing_since",
            new { id, now }, cancellationToken: cancellationToken));
        return since is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
    }

    private async Task<bool> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)) > 0;
    }

    private sealed class TargetRow
    {
        public string Url { get; init; } = "";

        public bool IsEnabled { get; init; }

        public string? DisabledReason { get; init; }

        public byte[] Secret { get; init; } = [];

        public byte[]? PreviousSecret { get; init; }

        public DateTime? FailingSince { get; init; }
    }
}
