using System.Globalization;

namespace PipelineCoach.Testing;

/// <summary>For load drivers: what else the shared machine was doing — load average, and CPU time of this process and of all cores (/proc/stat).</summary>
public readonly record struct MachineLoad(TimeSpan Process, TimeSpan MachineBusy, TimeSpan MachineTotal)
{
    public static string LoadAverage => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    public static MachineLoad Now()
    {
        var process = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        if (!File.Exists("/proc/stat"))
        {
            return new MachineLoad(process, TimeSpan.Zero, TimeSpan.Zero);
        }

        // "cpu  user nice system idle iowait irq softirq steal ..." in USER_HZ (1/100 s), summed over all cores.
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var idle = ticks[3] + ticks[4];
        return new MachineLoad(process, TimeSpan.FromMilliseconds((ticks.Sum() - idle) * 10.0), TimeSpan.FromMilliseconds(ticks.Sum() * 10.0));
    }

    public static MachineLoad operator -(MachineLoad a, MachineLoad b) =>
        new(a.Process - b.Process, a.MachineBusy - b.MachineBusy, a.MachineTotal - b.MachineTotal);

    /// <summary>E.g. "this process 1.10 cores, whole machine 1.95 of 2 cores busy".</summary>
    public string Describe(TimeSpan wall) => string.Create(CultureInfo.InvariantCulture,
        $"this process {Process.TotalSeconds / wall.TotalSeconds:F2} cores, whole machine {MachineBusy.TotalSeconds / wall.TotalSeconds:F2} of {Environment.ProcessorCount} cores busy");
}
