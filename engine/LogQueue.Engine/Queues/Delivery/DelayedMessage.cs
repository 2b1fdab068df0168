using LogQueue.Engine.Timers;

namespace LogQueue.Engine.Queues.Delivery;

/// <summary>A sent message whose delivery delay has not elapsed yet.</summary>
internal sealed class DelayedMessage(MessageQueue queue, long sequence) : TimerEntry
{
    public long Sequence { get; } = sequence;

    protected internal override void OnExpired() => queue.OnDelayElapsed(this);
}
