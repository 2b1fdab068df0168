namespace LogQueue.Engine.Queues;

/// <summary>Where a FIFO queue's deduplication ids must be unique (stored in queue.json as SQS's strings).</summary>
public enum DeduplicationScope
{
    /// <summary>One deduplication id per queue and window (SQS <c>queue</c>, the default).</summary>
    Queue = 0,

    /// <summary>One deduplication id per message group and window (SQS <c>messageGroup</c>).</summary>
    MessageGroup = 1,
}
