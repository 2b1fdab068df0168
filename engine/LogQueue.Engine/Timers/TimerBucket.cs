namespace LogQueue.Engine.Timers;

/// <summary>
/// One slot of a wheel: a doubly linked list of entries that expire within the same tick of that wheel,
/// so adding and removing an entry are O(1). The bucket, not each entry, waits in the wheel's delay queue.
/// </summary>
internal sealed class TimerBucket
{
    private TimerEntry? _head;

    /// <summary>The start of the tick this bucket currently covers; -1 when it is not in the delay queue.</summary>
    public long Expiration { get; set; } = -1;

    public bool IsEmpty => _head is null;

    public void Add(TimerEntry entry)
    {
        entry.Bucket = this;
        entry.Previous = null;
        entry.Next = _head;
        if (_head is not null)
        {
            _head.Previous = entry;
        }

        _head = entry;
    }

    public void Remove(TimerEntry entry)
    {
        if (entry.Previous is not null)
        {
            entry.Previous.Next = entry.Next;
        }
        else
        {
            _head = entry.Next;
        }

        if (entry.Next is not null)
        {
            entry.Next.Previous = entry.Previous;
        }

        entry.Bucket = null;
        entry.Next = null;
        entry.Previous = null;
    }

    /// <summary>Unlinks every entry and hands each to <paramref name="reinsert"/> (a static lambda: no closure).</summary>
    public void Drain<TState>(TState state, Action<TState, TimerEntry> reinsert)
    {
        TimerEntry? entry = _head;
        _head = null;
        Expiration = -1;
        while (entry is not null)
        {
            TimerEntry? next = entry.Next;
            entry.Bucket = null;
            entry.Next = null;
            entry.Previous = null;
            reinsert(state, entry);
            entry = next;
        }
    }
}
