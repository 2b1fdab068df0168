using LogQueue.Engine.Timers;

namespace LogQueue.Engine.Queues.Fifo;

/// <summary>
/// A received message of a FIFO queue whose visibility timeout runs. Unlike a standard queue's it knows its
/// group and partition, so its expiry and its delete unlock the group without another lookup.
/// </summary>
internal sealed class FifoInFlightMessage(MessageQueue queue, FifoPartition partition, MessageGroup group, long sequence, int receiveCount, long receivedAtMs) : TimerEntry
{
    public FifoPartition Partition { get; } = partition;

    public MessageGroup Group { get; } = group;

    public long Sequence { get; } = sequence;

    /// <summary>The receive count at the receive that made this entry; receipt handles must carry it.</summary>
    public int ReceiveCount { get; } = receiveCount;

    /// <summary>When it was received, on the timer wheel's clock (for the 12-hour visibility cap).</summary>
    public long ReceivedAtMs { get; } = receivedAtMs;

    protected internal override void OnExpired() => queue.OnFifoVisibilityExpired(this);
}
