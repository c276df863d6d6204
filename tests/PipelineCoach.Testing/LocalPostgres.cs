using System.Security.Cryptography;
using Npgsql;

namespace PipelineCoach.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster from the Debian binaries: initdb into a temp folder, pg_ctl start on a free
/// loopback port, deleted afterwards. PostgreSQL refuses to run as root, so as root it runs as the postgres user.
/// The folder records its owner and the postmaster (<see cref="ServerFolder"/>), so that a run killed before its
/// tear-down has the server stopped by the next one.
/// </summary>
internal sealed class LocalPostgres : IPostgresServer
{
    private readonly string _folder;
    private readonly string _binaries;

    private LocalPostgres(string folder, string binaries, string adminConnectionString)
    {
        _folder = folder;
        _binaries = binaries;
        AdminConnectionString = adminConnectionString;
    }

    public string AdminConnectionString { get; }

    public string Description => $"local PostgreSQL in {_folder}";

    internal string Folder => _folder;

    public static Task<IPostgresServer> StartAsync() => StartAsync(parent: null, owner: null);

    /// <summary>Starts a server in a new folder under <paramref name="parent"/> (the temp folder), owned by <paramref name="owner"/> (this process).</summary>
    internal static async Task<IPostgresServer> StartAsync(string? parent, ProcessIdentity? owner)
    {
        var binaries = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
            : null;
        LocalProcess.ThrowIfMissing(Path.Combine(binaries ?? "/usr/lib/postgresql/15/bin", "initdb"), "postgresql");

        var folder = ServerFolder.Create("pg", parent, owner);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var passwordFile = Path.Combine(folder, "pwfile");
        await File.WriteAllTextAsync(passwordFile, password);
        if (LocalProcess.IsRoot)
        {
            await LocalProcess.RunAsync("chown", ["-R", "postgres:postgres", folder]);
        }

        var data = Path.Combine(folder, "data");
        var port = LocalProcess.FreeLoopbackPort();
        await RunAsPostgresAsync(Path.Combine(binaries!, "initdb"),
            ["-D", data, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "--encoding=UTF8", "--no-instructions"]);
        await RunAsPostgresAsync(Path.Combine(binaries!, "pg_ctl"),
        [
            "-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "start",
            "-o", $"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        ]);
        var postmaster = (await File.ReadAllLinesAsync(Path.Combine(data, "postmaster.pid")))[0];
        ServerFolder.RecordServer(folder, int.Parse(postmaster, System.Globalization.CultureInfo.InvariantCulture));

        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Password = password,
            Database = "postgres",
        }.ConnectionString;
        return new LocalPostgres(folder, binaries!, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsPostgresAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static Task<string> RunAsPostgresAsync(string program, IEnumerable<string> arguments) =>
        LocalProcess.IsRoot
            ? LocalProcess.RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments])
            : LocalProcess.RunAsync(program, arguments);
}
