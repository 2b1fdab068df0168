namespace LogQueue.Engine.Log;

/// <summary>
/// A record that cannot be trusted was found where truncation would lose data that may have been
/// acknowledged: inside a sealed segment. Names the file and the byte offset of the bad record.
/// </summary>
public sealed class LogCorruptionException : LogQueueException
{
    /// <summary>Creates the error for a bad record at <paramref name="offset"/> of <paramref name="segmentPath"/>.</summary>
    public LogCorruptionException(string segmentPath, long offset, string reason)
        : base(ErrorCode.StorageCorrupt, $"Corrupt record in sealed segment '{segmentPath}' at byte offset {offset}: {reason}.")
    {
        SegmentPath = segmentPath;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The segment file that holds the bad record.</summary>
    public string SegmentPath { get; }

    /// <summary>The byte offset of the bad record inside the file.</summary>
    public long Offset { get; }

    /// <summary>What failed verification.</summary>
    public string Reason { get; }
}
