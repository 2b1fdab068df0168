using LogQueue.Protocol;

namespace LogQueue.Client;

/// <summary>
/// A received message, with the calls that settle it: <see cref="DeleteAsync"/> when it is handled,
/// <see cref="ReleaseAsync"/> to hand it back (now or after a delay), <see cref="ExtendVisibilityAsync"/> to keep it
/// while work goes on. Its receipt handle is valid until the message is received again.
/// </summary>
public sealed class QueueMessage
{
    private readonly ILogQueueClient _client;
    private volatile bool _settled;

    /// <summary>Creates a message as a client received it.</summary>
    public QueueMessage(
        ILogQueueClient client,
        string queueName,
        MessageId messageId,
        long sequenceNumber,
        string receiptHandle,
        ReadOnlyMemory<byte> body,
        IReadOnlyDictionary<string, MessageAttribute> attributes,
        DateTimeOffset sentTimestamp,
        int receiveCount,
        DateTimeOffset firstReceiveTimestamp,
        string? deadLetterSourceQueue,
        string? messageGroupId,
        string? messageDeduplicationId = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        QueueName = queueName;
        MessageId = messageId;
        SequenceNumber = sequenceNumber;
        ReceiptHandle = receiptHandle;
        Body = body;
        Attributes = attributes;
        SentTimestamp = sentTimestamp;
        ReceiveCount = receiveCount;
        FirstReceiveTimestamp = firstReceiveTimestamp;
        DeadLetterSourceQueue = deadLetterSourceQueue;
        MessageGroupId = messageGroupId;
        MessageDeduplicationId = messageDeduplicationId;
    }

    /// <summary>The queue the message was received from.</summary>
    public string QueueName { get; }

    /// <summary>The message id (kept through dead-letter moves).</summary>
    public MessageId MessageId { get; }

    /// <summary>
    /// The message's sequence number in <see cref="QueueName"/>: on a FIFO queue, a group's messages are delivered in
    /// this order. A message moved to a dead-letter queue gets a new one there.
    /// </summary>
    public long SequenceNumber { get; }

    /// <summary>The handle that deletes the message or changes its visibility.</summary>
    public string ReceiptHandle { get; }

    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The message attributes (empty when none).</summary>
    public IReadOnlyDictionary<string, MessageAttribute> Attributes { get; }

    /// <summary>When the message was first sent.</summary>
    public DateTimeOffset SentTimestamp { get; }

    /// <summary>How many times it has been received, this time included.</summary>
    public int ReceiveCount { get; }

    /// <summary>When it was first received.</summary>
    public DateTimeOffset FirstReceiveTimestamp { get; }

    /// <summary>For a dead letter: the queue it came from; otherwise null.</summary>
    public string? DeadLetterSourceQueue { get; }

    /// <summary>The message group: always set on a FIFO queue; on a standard queue, the group it was sent with (fair queues), if any.</summary>
    public string? MessageGroupId { get; }

    /// <summary>
    /// FIFO queues: the deduplication id it was sent with, or the SHA-256 of its body (64 lowercase hex digits) under
    /// ContentBasedDeduplication; null on standard queues, and from a server that speaks only protocol version 1.
    /// </summary>
    public string? MessageDeduplicationId { get; }

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyAsString() => System.Text.Encoding.UTF8.GetString(Body.Span);

    /// <summary>True once <see cref="DeleteAsync"/> or <see cref="ReleaseAsync"/> has succeeded: the consumers leave the message alone then.</summary>
    public bool IsSettled => _settled;

    /// <summary>Deletes the message: it is handled and will not be delivered again.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await _client.DeleteMessageAsync(QueueName, ReceiptHandle, cancellationToken).ConfigureAwait(false);
        _settled = true;
    }

    /// <summary>Hands the message back: visible again after <paramref name="delay"/> (default: at once).</summary>
    public async Task ReleaseAsync(TimeSpan delay = default, CancellationToken cancellationToken = default)
    {
        await _client.ChangeMessageVisibilityAsync(QueueName, ReceiptHandle, delay, cancellationToken).ConfigureAwait(false);
        _settled = true;
    }

    /// <summary>Keeps the message invisible for <paramref name="visibilityTimeout"/> from now.</summary>
    public Task ExtendVisibilityAsync(TimeSpan visibilityTimeout, CancellationToken cancellationToken = default) =>
        _client.ChangeMessageVisibilityAsync(QueueName, ReceiptHandle, visibilityTimeout, cancellationToken);
}
