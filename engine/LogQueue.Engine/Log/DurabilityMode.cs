namespace LogQueue.Engine.Log;

/// <summary>When an append counts as done. The numeric values are stored in configuration; keep them.</summary>
public enum DurabilityMode
{
    /// <summary>
    /// An append completes only after a flush (fdatasync) that covers it. Appends that arrive while a
    /// flush runs share the next one (group commit).
    /// </summary>
    Always = 0,

    /// <summary>Appends complete at once; a background flush runs every <see cref="SegmentedLogOptions.FlushInterval"/>.</summary>
    Interval = 1,

    /// <summary>Appends complete at once and live in the page cache until the OS writes them (or the log closes).</summary>
    None = 2,
}
