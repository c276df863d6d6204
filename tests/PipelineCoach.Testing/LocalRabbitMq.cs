using System.Diagnostics;

namespace PipelineCoach.Testing;

/// <summary>
/// A throwaway RabbitMQ node from the Debian package: its own node name, ports, data and log folders under a temp
/// folder, listening on loopback only, killed and deleted afterwards. The folder records its owner and the server's
/// processes (<see cref="ServerFolder"/>), so that a run killed before its tear-down has them stopped by the next one.
/// </summary>
internal sealed class LocalRabbitMq : IRabbitMqServer
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private readonly Process _process;
    private readonly string _folder;

    private LocalRabbitMq(Process process, string folder, string uri)
    {
        _process = process;
        _folder = folder;
        Uri = uri;
    }

    public string Uri { get; }

    public string Description => $"local RabbitMQ in {_folder}";

    internal string Folder => _folder;

    public static Task<IRabbitMqServer> StartAsync() => StartAsync(parent: null, owner: null);

    /// <summary>Starts a node in a new folder under <paramref name="parent"/> (the temp folder), owned by <paramref name="owner"/> (this process).</summary>
    internal static async Task<IRabbitMqServer> StartAsync(string? parent, ProcessIdentity? owner)
    {
        LocalProcess.ThrowIfMissing(Server, "rabbitmq-server");
        var folder = ServerFolder.Create("rmq", parent, owner);
        var port = LocalProcess.FreeLoopbackPort();
        var distributionPort = LocalProcess.FreeLoopbackPort();
        var node = $"pctest{System.Environment.ProcessId}x{port}@localhost";
        Directory.CreateDirectory(Path.Combine(folder, "mnesia"));
        Directory.CreateDirectory(Path.Combine(folder, "log"));
        await File.WriteAllTextAsync(Path.Combine(folder, "rabbitmq.conf"),
            $"listeners.tcp.1 = 127.0.0.1:{port}\nloopback_users = none\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "enabled_plugins"), "[].\n");

        var start = new ProcessStartInfo(Server) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in NodeEnvironment(folder, node, port, distributionPort))
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start rabbitmq-server.");
        ServerFolder.RecordServer(folder, process.Id);  // the script, which stops the Erlang VM on SIGTERM
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new LocalRabbitMq(process, folder, $"amqp://guest:guest@127.0.0.1:{port}/");
        try
        {
            await LocalProcess.WaitForPortAsync(port, TimeSpan.FromSeconds(90),
                () => $"RabbitMQ node {node} did not open port {port}:\n{output}", () => process.HasExited);
            var vm = Path.Combine(folder, "rabbitmq.pid");
            if (File.Exists(vm) && int.TryParse(await File.ReadAllTextAsync(vm), System.Globalization.CultureInfo.InvariantCulture, out var vmPid))
            {
                ServerFolder.RecordServer(folder, vmPid);  // the Erlang VM itself, in case the script is gone
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>The same settings deploy/local/lib.sh uses: everything under one folder, loopback only.</summary>
    internal static Dictionary<string, string> NodeEnvironment(string folder, string node, int port, int distributionPort) => new()
    {
        ["HOME"] = folder,
        ["RABBITMQ_NODENAME"] = node,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(folder, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(folder, "log"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(folder, "rabbitmq"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(folder, "enabled_plugins"),
        ["RABBITMQ_FEATURE_FLAGS_FILE"] = Path.Combine(folder, "feature_flags"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(folder, "rabbitmq.pid"),
        ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
