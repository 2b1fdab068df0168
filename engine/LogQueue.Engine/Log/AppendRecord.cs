namespace LogQueue.Engine.Log;

/// <summary>
/// One record to append. A struct so that a batch is one array with no object per record; the log
/// copies every byte into the segment before the append returns, so the buffers may be reused then.
/// </summary>
public readonly struct AppendRecord
{
    /// <summary>Creates a record with a body and, optionally, the other stored fields.</summary>
    /// <param name="body">The message body.</param>
    /// <param name="attributes">An encoded attributes block (opaque to the log), or empty.</param>
    /// <param name="groupId">The FIFO message group id, at most 255 UTF-8 bytes.</param>
    /// <param name="deduplicationId">The deduplication id, at most 255 UTF-8 bytes.</param>
    /// <param name="timestamp">Enqueue time in Unix milliseconds; 0 lets the log stamp it with its clock.</param>
    /// <param name="delayMilliseconds">Delivery delay stored with the record.</param>
    /// <param name="flags">Record flags.</param>
    public AppendRecord(
        ReadOnlyMemory<byte> body,
        ReadOnlyMemory<byte> attributes = default,
        string? groupId = null,
        string? deduplicationId = null,
        long timestamp = 0,
        uint delayMilliseconds = 0,
        RecordFlags flags = RecordFlags.None)
    {
        Body = body;
        Attributes = attributes;
        GroupId = groupId;
        DeduplicationId = deduplicationId;
        Timestamp = timestamp;
        DelayMilliseconds = delayMilliseconds;
        Flags = flags;
    }

    /// <summary>The message body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The encoded attributes block, or empty.</summary>
    public ReadOnlyMemory<byte> Attributes { get; }

    /// <summary>The FIFO message group id, or null.</summary>
    public string? GroupId { get; }

    /// <summary>The deduplication id, or null.</summary>
    public string? DeduplicationId { get; }

    /// <summary>Enqueue time in Unix milliseconds; 0 means "now" by the log's clock.</summary>
    public long Timestamp { get; }

    /// <summary>Delivery delay in milliseconds.</summary>
    public uint DelayMilliseconds { get; }

    /// <summary>Record flags.</summary>
    public RecordFlags Flags { get; }
}
