using System.Net.Http;
using System.Net.Sockets;

namespace PipelineCoach.Testing;

/// <summary>
/// The servers a test run uses, started once per test assembly. In order of preference: connection strings from
/// <c>PIPELINECOACH_TEST_POSTGRES</c> / <c>PIPELINECOACH_TEST_RABBITMQ</c>; containers when a Docker engine answers;
/// throwaway servers from the installed Debian binaries on free loopback ports. Never a silent skip: if none of
/// these works, the test fails with the reason. maildev (SMTP) is always a local one, started only by the tests that
/// ask for it.
/// </summary>
public static class TestServers
{
    public const string PostgresVariable = "PIPELINECOACH_TEST_POSTGRES";
    public const string RabbitMqVariable = "PIPELINECOACH_TEST_RABBITMQ";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPostgresServer? _postgres;
    private static IRabbitMqServer? _rabbitMq;
    private static IMaildevServer? _maildev;
    private static bool? _dockerAnswers;

    public static async Task<IPostgresServer> PostgresAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _postgres ??= Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs
                ? new ExternalPostgres(cs)
                : await DockerAnswersAsync()
                    ? await ContainerServers.StartPostgresAsync()
                    : await StartLocalAsync(LocalPostgres.StartAsync);
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task<IRabbitMqServer> RabbitMqAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _rabbitMq ??= Environment.GetEnvironmentVariable(RabbitMqVariable) is { Length: > 0 } uri
                ? new ExternalRabbitMq(uri)
                : await DockerAnswersAsync()
                    ? await ContainerServers.StartRabbitMqAsync()
                    : await StartLocalAsync(LocalRabbitMq.StartAsync);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A local maildev on free loopback ports, started on first use (see <see cref="LocalMaildev"/>).</summary>
    public static async Task<IMaildevServer> MaildevAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _maildev ??= await StartLocalAsync(LocalMaildev.StartAsync);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops whatever this run started. Call from a [SetUpFixture]'s [OneTimeTearDown].</summary>
    public static async Task StopAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
            _postgres = null;
        }

        if (_rabbitMq is not null)
        {
            await _rabbitMq.DisposeAsync();
            _rabbitMq = null;
        }

        if (_maildev is not null)
        {
            await _maildev.DisposeAsync();
            _maildev = null;
        }
    }

    /// <summary>Before the first local server, stops those a killed earlier run left behind.</summary>
    private static async Task<T> StartLocalAsync<T>(Func<Task<T>> start)
    {
        await AbandonedServers.StopOnceAsync();
        return await start();
    }

    /// <summary>True when a Docker engine answers <c>/_ping</c> (not merely when the docker client is installed).</summary>
    private static async Task<bool> DockerAnswersAsync()
    {
        if (_dockerAnswers is { } known)
        {
            return known;
        }

        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var socket = host is { } h && h.StartsWith("unix://", StringComparison.Ordinal) ? h["unix://".Length..] : "/var/run/docker.sock";
        if (host is { } tcp && tcp.StartsWith("tcp://", StringComparison.Ordinal))
        {
            _dockerAnswers = await PingAsync(new HttpClient { BaseAddress = new Uri(tcp.Replace("tcp://", "http://", StringComparison.Ordinal)) });
            return _dockerAnswers.Value;
        }

        if (!File.Exists(socket))
        {
            _dockerAnswers = false;
            return false;
        }

        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                return new NetworkStream(unix, ownsSocket: true);
            },
        };
        _dockerAnswers = await PingAsync(new HttpClient(handler) { BaseAddress = new Uri("http://docker") });
        return _dockerAnswers.Value;
    }

    private static async Task<bool> PingAsync(HttpClient client)
    {
        using (client)
        {
            try
            {
                client.Timeout = TimeSpan.FromSeconds(3);
                using var response = await client.GetAsync(new Uri("/_ping", UriKind.Relative));
                return response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException)
            {
                return false;
            }
        }
    }
}
