namespace LogQueue.Engine.Queues.Deduplication;

/// <summary>
/// The window's answer to a send: store it (the caller then owns the key until it commits or releases it), it is a
/// duplicate of the message at <see cref="Sequence"/> or of an earlier entry of the same batch, or another send of
/// the key is being stored and the caller asks again once <see cref="Pending"/> completes.
/// </summary>
internal readonly struct DeduplicationClaim
{
    private DeduplicationClaim(long sequence, Task? pending, int earlierEntry)
    {
        Sequence = sequence;
        Pending = pending;
        EarlierEntry = earlierEntry;
    }

    /// <summary>The caller owns the key: it appends the message, then commits or releases the key.</summary>
    public static DeduplicationClaim Owner => new(-1, null, -1);

    /// <summary>The original's sequence for a duplicate of a stored message; -1 otherwise.</summary>
    public long Sequence { get; }

    /// <summary>Completes when the send that holds the key has committed or released it; null otherwise.</summary>
    public Task? Pending { get; }

    /// <summary>For a batch entry whose key an earlier entry of the batch has: that entry's index; -1 otherwise.</summary>
    public int EarlierEntry { get; }

    /// <summary>Whether the send is a duplicate of the stored message at <see cref="Sequence"/>.</summary>
    public bool IsDuplicate => Sequence >= 0;

    /// <summary>Whether the caller owns the key.</summary>
    public bool IsOwner => Sequence < 0 && Pending is null && EarlierEntry < 0;

    public static DeduplicationClaim Duplicate(long sequence) => new(sequence, null, -1);

    public static DeduplicationClaim Wait(Task pending) => new(-1, pending, -1);

    public static DeduplicationClaim Earlier(int entry) => new(-1, null, entry);
}
