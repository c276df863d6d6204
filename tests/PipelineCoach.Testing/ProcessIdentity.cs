using System.Globalization;

namespace PipelineCoach.Testing;

/// <summary>
/// A process as a server folder records it: its pid, the kernel's start time of it (clock ticks since boot) and the boot
/// id. A pid the kernel has since handed to another process, or one from before a reboot, never matches the record.
/// </summary>
internal readonly record struct ProcessIdentity(int Pid, long StartTicks, string BootId)
{
    private static readonly Lazy<string> CurrentBootId = new(() => File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim());

    public static ProcessIdentity Current =>
        Of(Environment.ProcessId) ?? throw new InvalidOperationException("Cannot read this process's /proc entry.");

    /// <summary>True while the recorded process runs (a zombie, dead and waiting to be reaped, does not).</summary>
    public bool IsRunning => Of(Pid) == this;

    /// <summary>The identity of the running process <paramref name="pid"/>, or null when none runs.</summary>
    public static ProcessIdentity? Of(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count the fields after the last ')'.
        // There the state is field 3 and the start time field 22 of proc(5).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields[0] == "Z" ? null : new ProcessIdentity(pid, long.Parse(fields[19], CultureInfo.InvariantCulture), CurrentBootId.Value);
    }

    public static ProcessIdentity? Parse(string line)
    {
        var parts = line.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                ? new ProcessIdentity(pid, ticks, parts[2])
                : null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Pid} {StartTicks} {BootId}");
}
