namespace LogQueue.Engine.Queues;

/// <summary>
/// Attributes the engine keeps with a message for itself, in the system section of the stored attributes
/// block (<see cref="MessageAttributesCodec"/>). No request can set them: they are written only by the engine,
/// for example when a redrive moves a message into its dead-letter queue.
/// </summary>
/// <param name="DeadLetterSourceQueue">The queue a dead letter came from (set when a redrive moved it); a move task sends it back there.</param>
/// <param name="OriginalMessageId">The message's id in the queue it came from, so that it keeps its id after a move, as SQS messages do.</param>
/// <param name="OriginalSentTimestamp">When the message was first sent, Unix milliseconds: SQS keeps a moved message's enqueue time, and retention counts from it.</param>
public readonly record struct MessageEngineAttributes(
    QueueName? DeadLetterSourceQueue = null,
    string? OriginalMessageId = null,
    long? OriginalSentTimestamp = null)
{
    /// <summary>Most UTF-8 bytes an <see cref="OriginalMessageId"/> may have.</summary>
    public const int MaxMessageIdBytes = 1024;

    /// <summary>Whether no engine attribute is set (the system section is then left out).</summary>
    public bool IsEmpty => DeadLetterSourceQueue is null && OriginalMessageId is null && OriginalSentTimestamp is null;
}
