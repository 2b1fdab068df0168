namespace LogQueue.TestSupport;

/// <summary>
/// What the current process holds open, read from /proc (Linux only): file descriptors and memory mappings.
/// Leak tests compare these before and after a workload; a resource under a test's own directory is an
/// exact signal, the total descriptor count a loose one (other threads of the test host open files too).
/// </summary>
public static class ProcessResources
{
    /// <summary>True where /proc/self is available.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd");

    /// <summary>The number of open file descriptors of this process.</summary>
    public static int OpenDescriptorCount() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    /// <summary>Targets of open descriptors that point into <paramref name="directory"/> (deleted files included).</summary>
    public static IReadOnlyList<string> DescriptorsUnder(string directory)
    {
        var found = new List<string>();
        foreach (string entry in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(entry).LinkTarget;
            }
            catch (IOException)
            {
                // The descriptor was closed between the listing and the readlink.
                continue;
            }

            if (target is not null && target.StartsWith(directory, StringComparison.Ordinal))
            {
                found.Add(target);
            }
        }

        return found;
    }

    /// <summary>Lines of /proc/self/maps that map a file inside <paramref name="directory"/> (deleted files included).</summary>
    public static IReadOnlyList<string> MappingsUnder(string directory) =>
        [.. File.ReadLines("/proc/self/maps").Where(line => line.Contains(directory, StringComparison.Ordinal))];

    /// <summary>Runs finalizers of everything unreachable, so that only live resources remain.</summary>
    public static void CollectGarbage()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        GC.Collect();
    }
}
