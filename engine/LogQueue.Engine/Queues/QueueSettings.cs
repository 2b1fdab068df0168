namespace LogQueue.Engine.Queues;

/// <summary>The parts of a queue's attributes that the delivery path reads, as one immutable snapshot.</summary>
internal sealed record QueueSettings(
    TimeSpan VisibilityTimeout,
    TimeSpan RetentionPeriod,
    TimeSpan Delay,
    TimeSpan ReceiveWaitTime,
    int MaximumMessageSize,
    string? DeadLetterTargetQueue,
    int MaxReceiveCount,
    FifoQueueAttributes? Fifo)
{
    public static QueueSettings From(QueueAttributes attributes) => new(
        TimeSpan.FromSeconds(attributes.VisibilityTimeout),
        TimeSpan.FromSeconds(attributes.MessageRetentionPeriod),
        TimeSpan.FromSeconds(attributes.DelaySeconds),
        TimeSpan.FromSeconds(attributes.ReceiveMessageWaitTimeSeconds),
        attributes.MaximumMessageSize,
        attributes.RedrivePolicy?.DeadLetterTarget.Value,
        attributes.RedrivePolicy?.MaxReceiveCount ?? int.MaxValue,
        attributes.Fifo);
}
