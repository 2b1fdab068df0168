namespace LogQueue.Engine.Log;

/// <summary>Settings of one <see cref="SegmentedLog"/>.</summary>
public sealed class SegmentedLogOptions
{
    /// <summary>The smallest segment capacity accepted (tests use small segments to exercise rolls).</summary>
    public const long MinSegmentCapacity = 4096;

    /// <summary>The largest segment capacity: record offsets are 32-bit.</summary>
    public const long MaxSegmentCapacity = 1L << 30;

    /// <summary>
    /// The size each segment file is preallocated to. Default 64 MiB: large enough that rolls are rare
    /// (one per 500,000 records of 128 bytes), small enough that a mostly-deleted backlog frees space soon.
    /// </summary>
    public long SegmentCapacity { get; set; } = 64L << 20;

    /// <summary>
    /// The largest record payload (body + attributes + group and deduplication ids). Default 1 MiB plus
    /// 64 KiB: SQS's 1 MiB message (body and attributes) plus room for the ids and attribute encoding.
    /// Every segment must hold at least one record of this size.
    /// </summary>
    public int MaxRecordSize { get; set; } = (1 << 20) + (64 << 10);

    /// <summary>When an append counts as done. Default <see cref="DurabilityMode.Always"/>.</summary>
    public DurabilityMode Durability { get; set; } = DurabilityMode.Always;

    /// <summary>The background flush period in <see cref="DurabilityMode.Interval"/> mode. Default 100 ms.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Verify the CRC of every record of every segment on open, not only of the tail segment.</summary>
    public bool VerifyAllSegments { get; set; }

    /// <summary>What opening does when a sealed (not the newest) segment holds a bad record. Default: refuse to open.</summary>
    public SealedSegmentCorruptionPolicy SealedSegmentCorruption { get; set; } = SealedSegmentCorruptionPolicy.Fail;

    /// <summary>How many preallocated spare segments to keep ready. Default 1.</summary>
    public int SpareSegments { get; set; } = 1;

    /// <summary>Reuse the files of removed segments as spares instead of deleting and recreating them. Default true.</summary>
    public bool RecycleSegments { get; set; } = true;

    /// <summary>Throws <see cref="LogQueueException"/> (InvalidParameterValue) naming the first setting out of range.</summary>
    public void Validate()
    {
        if (SegmentCapacity is < MinSegmentCapacity or > MaxSegmentCapacity)
        {
            throw Invalid($"SegmentCapacity must be {MinSegmentCapacity} to {MaxSegmentCapacity} bytes; it is {SegmentCapacity}.");
        }

        if (SegmentCapacity % RecordFormat.Alignment != 0)
        {
            throw Invalid($"SegmentCapacity must be a multiple of {RecordFormat.Alignment} bytes; it is {SegmentCapacity}.");
        }

        if (MaxRecordSize is < 1 or > (int)MaxSegmentCapacity)
        {
            throw Invalid($"MaxRecordSize must be 1 to {MaxSegmentCapacity} bytes; it is {MaxRecordSize}.");
        }

        long largest = SegmentHeader.Size + RecordFormat.Align(RecordFormat.HeaderSize + MaxRecordSize);
        if (largest > SegmentCapacity)
        {
            throw Invalid($"SegmentCapacity {SegmentCapacity} cannot hold a record of MaxRecordSize {MaxRecordSize}; it must be at least {largest} bytes.");
        }

        if (FlushInterval <= TimeSpan.Zero && Durability == DurabilityMode.Interval)
        {
            throw Invalid($"FlushInterval must be positive in Interval mode; it is {FlushInterval}.");
        }

        if (SpareSegments is < 1 or > 16)
        {
            throw Invalid($"SpareSegments must be 1 to 16; it is {SpareSegments}.");
        }

        if (!Enum.IsDefined(Durability))
        {
            throw Invalid($"Durability {(int)Durability} is not a durability mode.");
        }
    }

    private static LogQueueException Invalid(string message) => new(ErrorCode.InvalidParameterValue, message);
}
