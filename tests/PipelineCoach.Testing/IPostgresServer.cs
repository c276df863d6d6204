using Npgsql;

namespace PipelineCoach.Testing;

/// <summary>A PostgreSQL server for tests, wherever it came from.</summary>
public interface IPostgresServer : IAsyncDisposable
{
    /// <summary>Connection string of a superuser on the server's <c>postgres</c> database.</summary>
    string AdminConnectionString { get; }

    string Description { get; }
}

/// <summary>A RabbitMQ broker for tests.</summary>
public interface IRabbitMqServer : IAsyncDisposable
{
    /// <summary>AMQP URI including credentials.</summary>
    string Uri { get; }

    string Description { get; }
}

public static class PostgresServerExtensions
{
    /// <summary>Creates a fresh, uniquely named database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(this IPostgresServer server, string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(server.AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name }.ConnectionString;
    }
}

/// <summary>Connection strings given by the environment; the servers belong to someone else and are left running.</summary>
internal sealed record ExternalPostgres(string AdminConnectionString) : IPostgresServer
{
    public string Description => "PostgreSQL from PIPELINECOACH_TEST_POSTGRES";

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal sealed record ExternalRabbitMq(string Uri) : IRabbitMqServer
{
    public string Description => "RabbitMQ from PIPELINECOACH_TEST_RABBITMQ";

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
