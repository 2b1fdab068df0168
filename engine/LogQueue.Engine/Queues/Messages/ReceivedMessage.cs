namespace LogQueue.Engine.Queues.Messages;

/// <summary>A message handed out by a receive. Its receipt handle is valid until the next receive of the same message.</summary>
public sealed class ReceivedMessage
{
    internal ReceivedMessage(
        MessageId messageId,
        long sequenceNumber,
        ReadOnlyMemory<byte> body,
        MessageAttributes attributes,
        string receiptHandle,
        long sentTimestamp,
        int approximateReceiveCount,
        long approximateFirstReceiveTimestamp,
        string? deadLetterSourceQueue,
        string? messageGroupId = null,
        string? messageDeduplicationId = null)
    {
        MessageGroupId = messageGroupId;
        MessageDeduplicationId = messageDeduplicationId;
        MessageId = messageId;
        SequenceNumber = sequenceNumber;
        Body = body;
        Attributes = attributes;
        ReceiptHandle = receiptHandle;
        SentTimestamp = sentTimestamp;
        ApproximateReceiveCount = approximateReceiveCount;
        ApproximateFirstReceiveTimestamp = approximateFirstReceiveTimestamp;
        DeadLetterSourceQueue = deadLetterSourceQueue;
    }

    /// <summary>The message id; as in SQS it stays the same when the message is moved to a dead-letter queue or back.</summary>
    public MessageId MessageId { get; }

    /// <summary>The message's sequence number in the queue it was received from.</summary>
    public long SequenceNumber { get; }

    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The message attributes (empty when none).</summary>
    public MessageAttributes Attributes { get; }

    /// <summary>The handle that deletes this message or changes its visibility.</summary>
    public string ReceiptHandle { get; }

    /// <summary>When the message was first sent, Unix milliseconds (kept across dead-letter moves).</summary>
    public long SentTimestamp { get; }

    /// <summary>How many times the message has been received, this receive included.</summary>
    public int ApproximateReceiveCount { get; }

    /// <summary>When the message was first received, Unix milliseconds.</summary>
    public long ApproximateFirstReceiveTimestamp { get; }

    /// <summary>For a message moved to a dead-letter queue: the queue it came from; otherwise null.</summary>
    public string? DeadLetterSourceQueue { get; }

    /// <summary>The message group it was sent with (always set on a FIFO queue), or null.</summary>
    public string? MessageGroupId { get; }

    /// <summary>FIFO queues: its deduplication id, the one sent or the SHA-256 of the body (64 hex digits) under ContentBasedDeduplication; otherwise null.</summary>
    public string? MessageDeduplicationId { get; }
}
