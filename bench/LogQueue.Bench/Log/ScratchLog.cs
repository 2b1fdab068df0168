using System.Globalization;
using System.Reflection;
using LogQueue.Engine.Log;

namespace LogQueue.Bench.Log;

/// <summary>
/// A <see cref="SegmentedLog"/> in a throwaway directory under the temp directory (/tmp), deleted on dispose.
/// </summary>
internal sealed class ScratchLog : IDisposable
{
    // The allocator is a private field of the log; reading it here keeps bench-only hooks out of the engine.
    private static readonly FieldInfo AllocatorField =
        typeof(SegmentedLog).GetField("_allocator", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new InvalidOperationException("SegmentedLog has no _allocator field any more; update ScratchLog.WaitForSpare.");

    private ScratchLog(string directory, SegmentedLog log)
    {
        Directory = directory;
        Log = log;
    }

    /// <summary>The log's directory.</summary>
    public string Directory { get; }

    /// <summary>The open log.</summary>
    public SegmentedLog Log { get; }

    /// <summary>Opens a new, empty log in a fresh directory named after <paramref name="name"/>.</summary>
    public static ScratchLog Open(string name, SegmentedLogOptions options)
    {
        string directory = Path.Combine(
            Path.GetTempPath(),
            "logqueue-bench",
            string.Create(CultureInfo.InvariantCulture, $"{name}-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        return new ScratchLog(directory, SegmentedLog.Open(directory, options));
    }

    /// <summary>
    /// Blocks until a preallocated spare segment is ready. A spare is written full of zeros and fsynced on a
    /// background loop; waiting for it in a setup keeps those writes (up to a gigabyte) out of the measurement.
    /// </summary>
    public void WaitForSpare()
    {
        var allocator = (SegmentAllocator)AllocatorField.GetValue(Log)!;
        allocator.WaitForReadyAsync(1, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Removes every sealed segment (all records are below <see cref="SegmentedLog.NextSequence"/>), so a run
    /// keeps at most the active segment, its spare and one retiring file on disk. Returns how many went.
    /// </summary>
    public int RemoveSealedSegments() => Log.SegmentCount > 1 ? Log.RemoveSegmentsBefore(Log.NextSequence) : 0;

    public void Dispose()
    {
        Log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
