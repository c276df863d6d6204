namespace PipelineCoach.Testing;

/// <summary>
/// The folder a throwaway server lives in (<c>pipelinecoach-*</c> under the temp folder), with what a later run needs
/// to clean up after this one if it is killed: the owning test process in <c>owner</c>, and the server's processes,
/// one a line, in <c>server-pids</c>. See <see cref="AbandonedServers"/>.
/// </summary>
internal static class ServerFolder
{
    public const string Prefix = "pipelinecoach-";
    public const string OwnerFile = "owner";
    public const string ServerPidsFile = "server-pids";

    /// <summary>Creates <c>{parent}/pipelinecoach-{kind}-{random}</c> (0700) and records its owner before anything else.</summary>
    public static string Create(string kind, string? parent = null, ProcessIdentity? owner = null)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Local servers run from the Debian packages, on Linux.");
        }

        var folder = Path.Combine(parent ?? Path.GetTempPath(), $"{Prefix}{kind}-{Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)}");
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(folder, OwnerFile), $"{owner ?? ProcessIdentity.Current}\n");
        return folder;
    }

    /// <summary>Records a server process of the folder, if it runs.</summary>
    public static void RecordServer(string folder, int pid)
    {
        if (ProcessIdentity.Of(pid) is { } server)
        {
            File.AppendAllText(Path.Combine(folder, ServerPidsFile), $"{server}\n");
        }
    }

    public static ProcessIdentity? Owner(string folder) =>
        File.Exists(Path.Combine(folder, OwnerFile)) ? ProcessIdentity.Parse(File.ReadAllText(Path.Combine(folder, OwnerFile))) : null;

    public static IReadOnlyList<ProcessIdentity> Servers(string folder) =>
        File.Exists(Path.Combine(folder, ServerPidsFile))
            ? File.ReadAllLines(Path.Combine(folder, ServerPidsFile)).Select(ProcessIdentity.Parse).OfType<ProcessIdentity>().ToList()
            : [];
}
