using LogQueue.Engine.Timers;

namespace LogQueue.Engine.Queues.Fifo;

/// <summary>
/// Wakes a FIFO queue when the message its log scan stopped at (still within the queue's delay) comes due, so
/// waiting receives are served without a new send.
/// </summary>
internal sealed class FifoScanTimer(MessageQueue queue) : TimerEntry
{
    protected internal override void OnExpired() => queue.OnFifoScanDue();
}
