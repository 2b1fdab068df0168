using LogQueue.Engine.Timers;

namespace LogQueue.Engine.Queues.Delivery;

/// <summary>
/// A received message whose visibility timeout runs: about 100 bytes per message in flight (this object,
/// its dictionary slot and its place on the timer wheel), bounded by the queue's in-flight limit.
/// </summary>
internal sealed class InFlightMessage(MessageQueue queue, long sequence, int receiveCount, long receivedAtMs) : TimerEntry
{
    public long Sequence { get; } = sequence;

    /// <summary>The receive count at the receive that made this entry; receipt handles must carry it.</summary>
    public int ReceiveCount { get; } = receiveCount;

    /// <summary>When it was received, on the timer wheel's clock (for the 12-hour visibility cap).</summary>
    public long ReceivedAtMs { get; } = receivedAtMs;

    protected internal override void OnExpired() => queue.OnVisibilityExpired(this);
}
