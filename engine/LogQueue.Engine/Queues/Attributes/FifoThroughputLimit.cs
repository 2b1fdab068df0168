namespace LogQueue.Engine.Queues;

/// <summary>How a FIFO queue is served (stored in queue.json as SQS's strings).</summary>
public enum FifoThroughputLimit
{
    /// <summary>SQS <c>perQueue</c>, the default: the queue's groups share one delivery lock.</summary>
    PerQueue = 0,

    /// <summary>SQS <c>perMessageGroupId</c>, high-throughput mode: groups are spread over partitions with a lock each.</summary>
    PerMessageGroupId = 1,
}
