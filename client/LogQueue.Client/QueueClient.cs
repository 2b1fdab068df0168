using LogQueue.Protocol.Operations;

namespace LogQueue.Client;

/// <summary>
/// A handle on one queue: every operation of <see cref="ILogQueueClient"/> with the queue name filled in.
/// Cheap to create; holds no connection of its own.
/// </summary>
public sealed partial class QueueClient
{
    /// <summary>Creates a handle on <paramref name="queueName"/> through <paramref name="client"/>.</summary>
    public QueueClient(ILogQueueClient client, string queueName)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        Client = client;
        QueueName = queueName;
    }

    /// <summary>The client calls go through.</summary>
    public ILogQueueClient Client { get; }

    /// <summary>The queue's name.</summary>
    public string QueueName { get; }

    /// <summary>Creates the queue (idempotent when the attributes match).</summary>
    public Task<string> CreateAsync(IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default) =>
        Client.CreateQueueAsync(QueueName, attributes, cancellationToken);

    /// <summary>Deletes the queue.</summary>
    public Task DeleteAsync(CancellationToken cancellationToken = default) => Client.DeleteQueueAsync(QueueName, cancellationToken);

    /// <summary>Reads the queue's attributes (all when <paramref name="attributeNames"/> is null).</summary>
    public Task<IReadOnlyDictionary<string, string>> GetAttributesAsync(IReadOnlyList<string>? attributeNames = null, CancellationToken cancellationToken = default) =>
        Client.GetQueueAttributesAsync(QueueName, attributeNames, cancellationToken);

    /// <summary>Changes the queue's attributes.</summary>
    public Task SetAttributesAsync(IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default) =>
        Client.SetQueueAttributesAsync(QueueName, attributes, cancellationToken);

    /// <summary>Deletes every message.</summary>
    public Task PurgeAsync(CancellationToken cancellationToken = default) => Client.PurgeQueueAsync(QueueName, cancellationToken);

    /// <summary>Sends one message.</summary>
    public Task<SendMessageResponse> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default) =>
        Client.SendMessageAsync(QueueName, message, cancellationToken);

    /// <summary>Sends a UTF-8 text body.</summary>
    public Task<SendMessageResponse> SendAsync(string body, CancellationToken cancellationToken = default) =>
        Client.SendMessageAsync(QueueName, new OutgoingMessage(System.Text.Encoding.UTF8.GetBytes(body)), cancellationToken);

    /// <summary>
    /// Sends a UTF-8 text body to a message group: on a FIFO queue the group's messages are delivered in the order their
    /// sends completed; on a standard queue groups are served fairly. <paramref name="messageDeduplicationId"/> (FIFO
    /// queues) makes a repeat of the send within 5 minutes store nothing new; it may be null on a queue with
    /// ContentBasedDeduplication.
    /// </summary>
    public Task<SendMessageResponse> SendAsync(string body, string messageGroupId, string? messageDeduplicationId, CancellationToken cancellationToken = default) =>
        SendAsync(System.Text.Encoding.UTF8.GetBytes(body), messageGroupId, messageDeduplicationId, cancellationToken);

    /// <summary>Sends a body to a message group, with an optional deduplication id; see the text overload.</summary>
    public Task<SendMessageResponse> SendAsync(ReadOnlyMemory<byte> body, string messageGroupId, string? messageDeduplicationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageGroupId);
        return Client.SendMessageAsync(QueueName, new OutgoingMessage(body, MessageGroupId: messageGroupId, MessageDeduplicationId: messageDeduplicationId), cancellationToken);
    }

    /// <summary>
    /// Sends several messages; each entry succeeds or fails on its own. On a FIFO queue the entries of one group are
    /// stored in list order.
    /// </summary>
    public Task<IReadOnlyList<SendResult>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default) =>
        Client.SendMessageBatchAsync(QueueName, messages, cancellationToken);

    /// <summary>Receives messages.</summary>
    public Task<IReadOnlyList<QueueMessage>> ReceiveAsync(ReceiveOptions? options = null, CancellationToken cancellationToken = default) =>
        Client.ReceiveMessagesAsync(QueueName, options, cancellationToken);

    /// <summary>Deletes a received message by its receipt handle.</summary>
    public Task DeleteMessageAsync(string receiptHandle, CancellationToken cancellationToken = default) =>
        Client.DeleteMessageAsync(QueueName, receiptHandle, cancellationToken);

    /// <summary>Deletes several received messages.</summary>
    public Task<IReadOnlyList<EntryResult>> DeleteMessageBatchAsync(IReadOnlyList<string> receiptHandles, CancellationToken cancellationToken = default) =>
        Client.DeleteMessageBatchAsync(QueueName, receiptHandles, cancellationToken);

    /// <summary>Changes a received message's visibility timeout.</summary>
    public Task ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default) =>
        Client.ChangeMessageVisibilityAsync(QueueName, receiptHandle, visibilityTimeout, cancellationToken);

    /// <summary>Changes several received messages' visibility timeouts.</summary>
    public Task<IReadOnlyList<EntryResult>> ChangeVisibilityBatchAsync(IReadOnlyList<VisibilityChange> changes, CancellationToken cancellationToken = default) =>
        Client.ChangeMessageVisibilityBatchAsync(QueueName, changes, cancellationToken);

    /// <summary>Starts moving this dead-letter queue's messages out (to <paramref name="destinationQueue"/>, or back to their sources).</summary>
    public Task<string> StartMoveTaskAsync(string? destinationQueue = null, int? maxNumberOfMessagesPerSecond = null, CancellationToken cancellationToken = default) =>
        Client.StartMessageMoveTaskAsync(QueueName, destinationQueue, maxNumberOfMessagesPerSecond, cancellationToken);

    /// <summary>Lists this queue's move tasks, newest first.</summary>
    public Task<IReadOnlyList<MessageMoveTask>> ListMoveTasksAsync(int maxResults = 1, CancellationToken cancellationToken = default) =>
        Client.ListMessageMoveTasksAsync(QueueName, maxResults, cancellationToken);
}
