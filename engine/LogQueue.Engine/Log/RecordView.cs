using System.Text;

namespace LogQueue.Engine.Log;

/// <summary>
/// A stored record read in place from the memory-mapped segment: no byte is copied. Valid only inside
/// the visitor callback that receives it; copy what must outlive the call (see <see cref="ToStoredRecord"/>).
/// </summary>
public readonly ref struct RecordView
{
    internal RecordView(
        long sequence,
        long timestamp,
        uint delayMilliseconds,
        RecordFlags flags,
        ReadOnlySpan<byte> groupId,
        ReadOnlySpan<byte> deduplicationId,
        ReadOnlySpan<byte> attributes,
        ReadOnlySpan<byte> body)
    {
        Sequence = sequence;
        Timestamp = timestamp;
        DelayMilliseconds = delayMilliseconds;
        Flags = flags;
        GroupIdUtf8 = groupId;
        DeduplicationIdUtf8 = deduplicationId;
        Attributes = attributes;
        Body = body;
    }

    /// <summary>The record's sequence number.</summary>
    public long Sequence { get; }

    /// <summary>Enqueue time in Unix milliseconds.</summary>
    public long Timestamp { get; }

    /// <summary>Delivery delay in milliseconds.</summary>
    public uint DelayMilliseconds { get; }

    /// <summary>Record flags.</summary>
    public RecordFlags Flags { get; }

    /// <summary>The group id as UTF-8 bytes; empty when the record has none.</summary>
    public ReadOnlySpan<byte> GroupIdUtf8 { get; }

    /// <summary>The deduplication id as UTF-8 bytes; empty when the record has none.</summary>
    public ReadOnlySpan<byte> DeduplicationIdUtf8 { get; }

    /// <summary>The attributes block; empty when the record has none.</summary>
    public ReadOnlySpan<byte> Attributes { get; }

    /// <summary>The body.</summary>
    public ReadOnlySpan<byte> Body { get; }

    /// <summary>Copies the record out of the segment.</summary>
    public StoredRecord ToStoredRecord() => new(
        Sequence,
        Timestamp,
        DelayMilliseconds,
        Flags,
        GroupIdUtf8.IsEmpty ? null : Encoding.UTF8.GetString(GroupIdUtf8),
        DeduplicationIdUtf8.IsEmpty ? null : Encoding.UTF8.GetString(DeduplicationIdUtf8),
        Attributes.ToArray(),
        Body.ToArray());
}
