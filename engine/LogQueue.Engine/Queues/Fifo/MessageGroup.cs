namespace LogQueue.Engine.Queues.Fifo;

/// <summary>
/// One message group of a FIFO queue, as its partition sees it: the group's waiting messages in sequence order
/// and how many of its messages are in flight (or being moved to the dead-letter queue). The group delivers only
/// while none is: that is the group lock. Guarded by its partition's lock.
/// </summary>
/// <param name="key">The keyed hash of the group id that files the group in its partition.</param>
internal sealed class MessageGroup(ulong key)
{
    private SequenceRing _waiting = new();

    public ulong Key { get; } = key;

    /// <summary>The group's messages not in flight, lowest sequence first; the front is the group's head.</summary>
    public ref SequenceRing Waiting => ref _waiting;

    /// <summary>Messages of the group in flight or being moved to the dead-letter queue.</summary>
    public int InFlight { get; set; }

    /// <summary>True while the group has an entry in its partition's ring of ready groups.</summary>
    public bool Queued { get; set; }

    /// <summary>True when a receive may take the group's head: nothing in flight and something waiting.</summary>
    public bool IsReady => InFlight == 0 && _waiting.Count > 0;

    /// <summary>True when the group holds nothing, so its partition may forget it.</summary>
    public bool IsEmpty => InFlight == 0 && _waiting.Count == 0;
}
