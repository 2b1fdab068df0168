using System.Globalization;
using System.Runtime.InteropServices;
using LogQueue.Bench.Log;

namespace LogQueue.Bench.Suite;

/// <summary>The machine a suite ran on, as the report describes it: CPU, cores, memory, kernel, runtime and the disk's fsync latency.</summary>
/// <param name="Cpu">The CPU model.</param>
/// <param name="Cores">Logical processors.</param>
/// <param name="MemoryGiB">Physical memory.</param>
/// <param name="OperatingSystem">Distribution name.</param>
/// <param name="Kernel">Kernel release.</param>
/// <param name="Runtime">.NET runtime.</param>
/// <param name="FsyncMicroseconds">Mean latency of a 128-byte pwrite + fdatasync on the data directory's file system.</param>
/// <param name="MappedFsyncMicroseconds">The same through a shared memory mapping, as the log's segments are written.</param>
public sealed record MachineDescription(
    string Cpu,
    int Cores,
    double MemoryGiB,
    string OperatingSystem,
    string Kernel,
    string Runtime,
    double FsyncMicroseconds,
    double MappedFsyncMicroseconds)
{
    private const int ProbeSyncs = 200;

    /// <summary>Reads this machine's description and measures fsync latency in <paramref name="dataDirectoryParent"/>.</summary>
    public static MachineDescription Read(string dataDirectoryParent)
    {
        string probeDirectory = Path.Combine(dataDirectoryParent, "logqueue-fsync-probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(probeDirectory);
        try
        {
            return new MachineDescription(
                FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
                Environment.ProcessorCount,
                Math.Round(MemoryKiB() / 1024.0 / 1024.0, 1),
                OsName(),
                ReadTrimmed("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
                RuntimeInformation.FrameworkDescription,
                MeasureFsync(probeDirectory, mapped: false),
                MeasureFsync(probeDirectory, mapped: true));
        }
        finally
        {
            Directory.Delete(probeDirectory, recursive: true);
        }
    }

    private static double MeasureFsync(string directory, bool mapped)
    {
        using FsyncProbe probe = FsyncProbe.Create(directory, mapped);
        probe.MeasureAverage(20);
        return Math.Round(probe.MeasureAverage(ProbeSyncs).TotalMicroseconds, 1);
    }

    private static long MemoryKiB()
    {
        string? text = FirstValue("/proc/meminfo", "MemTotal");
        return text is not null && long.TryParse(text.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kib)
            ? kib
            : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024;
    }

    private static string OsName()
    {
        string? pretty = FirstValue("/etc/os-release", "PRETTY_NAME", '=');
        return pretty?.Trim('"') ?? RuntimeInformation.OSDescription;
    }

    private static string? ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static string? FirstValue(string path, string key, char separator = ':')
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (string line in File.ReadLines(path))
        {
            int at = line.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && line[..at].Trim() == key)
            {
                return line[(at + 1)..].Trim();
            }
        }

        return null;
    }
}
