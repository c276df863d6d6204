using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

[assembly: InternalsVisibleTo("PipelineCoach.Cadence.Tests")]
[assembly: InternalsVisibleTo("PipelineCoach.Notifications.Tests")]

namespace PipelineCoach.Testing;

/// <summary>
/// Stops the throwaway servers of test runs that were killed before their tear-down: server folders whose recorded
/// owner no longer runs. Only the processes recorded in the folder are signalled, and only while pid, start time and
/// boot still match the record (never by name); then the folder is deleted. Folders without an owner record (being
/// created, or made by something else) are left alone.
/// </summary>
internal static class AbandonedServers
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _done;

    /// <summary>Runs <see cref="StopAsync"/> over the temp folder once per process, before its first local server starts.</summary>
    public static async Task StopOnceAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (!_done)
            {
                _done = true;
                foreach (var folder in await StopAsync(Path.GetTempPath()))
                {
                    await Console.Error.WriteLineAsync($"Stopped the servers a killed test run left in {folder}");
                }
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops and deletes every abandoned server folder directly under <paramref name="root"/>; returns them.</summary>
    public static async Task<IReadOnlyList<string>> StopAsync(string root)
    {
        var stopped = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(root, $"{ServerFolder.Prefix}*"))
        {
            if (ServerFolder.Owner(folder) is not { } owner || owner.IsRunning)
            {
                continue;
            }

            var servers = ServerFolder.Servers(folder);
            if (!await StopAsync(servers))
            {
                await Console.Error.WriteLineAsync($"Could not stop the servers recorded in {folder}; it is kept for the next run.");
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when ((ex is IOException or UnauthorizedAccessException) && !Directory.Exists(folder))
            {
                // Another test process cleaned it up at the same time.
            }

            stopped.Add(folder);
        }

        return stopped;
    }

    /// <summary>SIGTERM, and SIGKILL for what has not exited 30 s later. True when none of them runs any more.</summary>
    private static async Task<bool> StopAsync(IReadOnlyList<ProcessIdentity> servers)
    {
        Signal(servers, SigTerm);
        if (await AllExitedAsync(servers, TimeSpan.FromSeconds(30)))
        {
            return true;
        }

        Signal(servers, SigKill);
        return await AllExitedAsync(servers, TimeSpan.FromSeconds(10));
    }

    private static void Signal(IReadOnlyList<ProcessIdentity> servers, int signal)
    {
        foreach (var server in servers.Where(s => s.IsRunning))
        {
            _ = Kill(server.Pid, signal);  // it may have exited since: ESRCH is fine
        }
    }

    private static async Task<bool> AllExitedAsync(IReadOnlyList<ProcessIdentity> servers, TimeSpan timeout)
    {
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(!servers.Any(s => s.IsRunning)), "the recorded server processes to exit", timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    // kill(2): .NET's Process.Kill only sends SIGKILL, and a kill binary is not on every machine.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
