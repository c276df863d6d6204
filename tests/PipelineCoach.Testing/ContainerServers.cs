using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace PipelineCoach.Testing;

/// <summary>Servers in containers, used when a Docker engine answers. Images are pinned.</summary>
internal static class ContainerServers
{
    public static async Task<IPostgresServer> StartPostgresAsync()
    {
        var container = new PostgreSqlBuilder("postgres:15.10-bookworm").Build();
        await container.StartAsync();
        return new ContainerPostgres(container);
    }

    public static async Task<IRabbitMqServer> StartRabbitMqAsync()
    {
        var container = new RabbitMqBuilder("rabbitmq:3.13.7").Build();
        await container.StartAsync();
        return new ContainerRabbitMq(container);
    }

    private sealed class ContainerPostgres(PostgreSqlContainer container) : IPostgresServer
    {
        public string AdminConnectionString => container.GetConnectionString();

        public string Description => "PostgreSQL in a Testcontainers container";

        public ValueTask DisposeAsync() => container.DisposeAsync();
    }

    private sealed class ContainerRabbitMq(RabbitMqContainer container) : IRabbitMqServer
    {
        public string Uri => container.GetConnectionString();

        public string Description => "RabbitMQ in a Testcontainers container";

        public ValueTask DisposeAsync() => container.DisposeAsync();
    }
}
