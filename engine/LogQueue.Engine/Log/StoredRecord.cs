namespace LogQueue.Engine.Log;

/// <summary>A record copied out of the log: safe to keep after the read returns.</summary>
/// <param name="Sequence">The record's sequence number.</param>
/// <param name="Timestamp">Enqueue time in Unix milliseconds.</param>
/// <param name="DelayMilliseconds">Delivery delay in milliseconds.</param>
/// <param name="Flags">Record flags.</param>
/// <param name="GroupId">The FIFO group id, or null.</param>
/// <param name="DeduplicationId">The deduplication id, or null.</param>
/// <param name="Attributes">The attributes block (may be empty).</param>
/// <param name="Body">The body.</param>
public sealed record StoredRecord(
    long Sequence,
    long Timestamp,
    uint DelayMilliseconds,
    RecordFlags Flags,
    string? GroupId,
    string? DeduplicationId,
    ReadOnlyMemory<byte> Attributes,
    ReadOnlyMemory<byte> Body);
