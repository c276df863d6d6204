using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PipelineCoach.Testing;

/// <summary>
/// A throwaway maildev (the npm package, pinned like deploy/local/lib.sh's MAILDEV_VERSION) on free loopback ports:
/// SMTP, and the web UI with the REST API. npm installs the package once into a cache folder next to the server
/// folders (<c>pipelinecoach.npm/maildev-{version}</c> under the temp folder: no <c>pipelinecoach-</c> prefix, so
/// <see cref="AbandonedServers"/> never takes it for a server). Each server gets its own <see cref="ServerFolder"/>,
/// with its mail in it, recording its owner and process so a killed run's maildev is stopped by the next one.
/// </summary>
internal sealed class LocalMaildev : IMaildevServer
{
    /// <summary>The same version deploy/local/lib.sh installs.</summary>
    public const string Version = "3.0.0";

    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private readonly Process _process;
    private readonly string _folder;
    private readonly HttpClient _http;

    private LocalMaildev(Process process, string folder, int smtpPort, int webPort)
    {
        _process = process;
        _folder = folder;
        SmtpPort = smtpPort;
        WebUrl = new Uri($"http://127.0.0.1:{webPort.ToString(CultureInfo.InvariantCulture)}/");
        _http = new HttpClient { BaseAddress = WebUrl, Timeout = TimeSpan.FromSeconds(10) };
        Mail = new MaildevClient(_http);
    }

    public string SmtpHost => "127.0.0.1";

    public int SmtpPort { get; }

    public Uri WebUrl { get; }

    public MaildevClient Mail { get; }

    public string Description => $"local maildev {Version} in {_folder} (SMTP {SmtpPort}, web {WebUrl})";

    internal string Folder => _folder;

    public static Task<IMaildevServer> StartAsync() => StartAsync(parent: null, owner: null);

    /// <summary>Starts maildev in a new folder under <paramref name="parent"/> (the temp folder), owned by <paramref name="owner"/> (this process).</summary>
    internal static async Task<IMaildevServer> StartAsync(string? parent, ProcessIdentity? owner)
    {
        var script = await InstallAsync(Path.Combine(Path.GetTempPath(), "pipelinecoach.npm"));  // one cache, whatever the parent
        var folder = ServerFolder.Create("maildev", parent, owner);
        var smtpPort = LocalProcess.FreeLoopbackPort();
        var webPort = LocalProcess.FreeLoopbackPort();
        var mail = Path.Combine(folder, "mail");
        Directory.CreateDirectory(mail);

        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            script, "--smtp", smtpPort.ToString(CultureInfo.InvariantCulture), "--web", webPort.ToString(CultureInfo.InvariantCulture),
            "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--mail-directory", mail,
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start maildev.");
        ServerFolder.RecordServer(folder, process.Id);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new LocalMaildev(process, folder, smtpPort, webPort);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!await server.Mail.AnswersAsync())
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"maildev did not answer on {server.WebUrl}api/healthz:\n{output}");
                }

                await Task.Delay(200);
            }

            await LocalProcess.WaitForPortAsync(smtpPort, TimeSpan.FromSeconds(30),
                () => $"maildev did not open its SMTP port {smtpPort}:\n{output}", () => process.HasExited);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Installs maildev@<see cref="Version"/> into <c>{cache}/maildev-{version}</c> unless it is there, and returns its
    /// entry script. npm installs into a fresh folder that is then renamed into place, so concurrent test processes
    /// never see half an install (the one that loses the rename drops its copy).
    /// </summary>
    private static async Task<string> InstallAsync(string cache)
    {
        var target = Path.Combine(cache, $"maildev-{Version}");
        var script = Path.Combine(target, "node_modules", "maildev", "dist", "bin", "maildev.js");
        await InstallGate.WaitAsync();
        try
        {
            if (File.Exists(script))
            {
                return script;
            }

            Directory.CreateDirectory(cache);
            var staging = $"{target}.{Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)}";
            Directory.CreateDirectory(staging);
            try
            {
                await LocalProcess.RunAsync("npm",
                    ["install", "--prefix", staging, "--save-exact", "--no-audit", "--no-fund", "--loglevel=error", $"maildev@{Version}"],
                    timeout: TimeSpan.FromMinutes(5));
                Directory.Move(staging, target);
            }
            catch (IOException) when (File.Exists(script))
            {
                // Another test process installed it first.
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new InvalidOperationException($"npm is missing: maildev {Version} needs Node.js 20 or later with npm on PATH.", ex);
            }
            finally
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }

            return script;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _http.Dispose();
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
