namespace LogQueue.Engine.Queues.Journal;

/// <summary>
/// One change to a queue's state, as appended to its <see cref="QueueStateJournal"/>. A struct, so that a
/// batch is one array (or stack span) with no object per entry. Create entries with
/// <see cref="Deleted(long)"/>, <see cref="Deleted(long, long)"/> and <see cref="Received"/>;
/// <c>default</c> is not a valid entry.
/// </summary>
public readonly record struct JournalEntry
{
    internal JournalEntry(JournalEntryKind kind, long sequence, long endSequence, int receiveCount, long firstReceiveTimestampMs)
    {
        Kind = kind;
        Sequence = sequence;
        EndSequence = endSequence;
        ReceiveCount = receiveCount;
        FirstReceiveTimestampMs = firstReceiveTimestampMs;
    }

    /// <summary>What changed.</summary>
    public JournalEntryKind Kind { get; }

    /// <summary>The message sequence (for <see cref="JournalEntryKind.Deleted"/>, the first of the range).</summary>
    public long Sequence { get; }

    /// <summary>For <see cref="JournalEntryKind.Deleted"/>, the end of the range (exclusive); otherwise <see cref="Sequence"/> + 1.</summary>
    public long EndSequence { get; }

    /// <summary>For <see cref="JournalEntryKind.Received"/>, the message's receive count after this receive; otherwise 0.</summary>
    public int ReceiveCount { get; }

    /// <summary>For <see cref="JournalEntryKind.Received"/>, the time of the message's first receive, Unix milliseconds; otherwise 0.</summary>
    public long FirstReceiveTimestampMs { get; }

    /// <summary>The message at <paramref name="sequence"/> was deleted.</summary>
    public static JournalEntry Deleted(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfEqual(sequence, long.MaxValue);
        return new(JournalEntryKind.Deleted, sequence, sequence + 1, 0, 0);
    }

    /// <summary>The messages of [<paramref name="startSequence"/>, <paramref name="endSequence"/>) were deleted.</summary>
    public static JournalEntry Deleted(long startSequence, long endSequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startSequence);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(endSequence, startSequence);
        return new(JournalEntryKind.Deleted, startSequence, endSequence, 0, 0);
    }

    /// <summary>The message at <paramref name="sequence"/> was received; it has now been received <paramref name="receiveCount"/> times.</summary>
    public static JournalEntry Received(long sequence, int receiveCount, long firstReceiveTimestampMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfEqual(sequence, long.MaxValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(receiveCount, 1);
        return new(JournalEntryKind.Received, sequence, sequence + 1, receiveCount, firstReceiveTimestampMs);
    }
}
