using LogQueue.Protocol.Operations;

namespace LogQueue.Client;

/// <summary>
/// Everything LogQueue offers, over the network (<c>LogQueueClient</c>) or in-process
/// (<c>EmbeddedLogQueueClient</c>). Thread-safe: share one instance per process. Every call takes a
/// <see cref="CancellationToken"/>; failures throw <see cref="LogQueueException"/> with the server's error code,
/// while batch calls report each entry on its own.
/// </summary>
public interface ILogQueueClient : IAsyncDisposable
{
    /// <summary>A handle on one queue, covering every operation on it.</summary>
    QueueClient GetQueue(string queueName);

    /// <summary>Creates a queue, or returns the existing one when its attributes match (QueueNameExists otherwise).</summary>
    Task<string> CreateQueueAsync(string queueName, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a queue and every message in it.</summary>
    Task DeleteQueueAsync(string queueName, CancellationToken cancellationToken = default);

    /// <summary>Lists queue names, optionally those starting with <paramref name="prefix"/>.</summary>
    Task<IReadOnlyList<string>> ListQueuesAsync(string? prefix = null, CancellationToken cancellationToken = default);

    /// <summary>Reads queue attributes (all of them when <paramref name="attributeNames"/> is null or empty).</summary>
    Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(string queueName, IReadOnlyList<string>? attributeNames = null, CancellationToken cancellationToken = default);

    /// <summary>Changes queue attributes.</summary>
    Task SetQueueAttributesAsync(string queueName, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default);

    /// <summary>Deletes every message of a queue (at most once per 60 seconds).</summary>
    Task PurgeQueueAsync(string queueName, CancellationToken cancellationToken = default);

    /// <summary>Sends one message; completes when it is stored under the server's durability mode. Concurrent sends share batch frames.</summary>
    Task<SendMessageResponse> SendMessageAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken = default);

    /// <summary>Sends several messages; each entry succeeds or fails on its own, in entry order.</summary>
    Task<IReadOnlyList<SendResult>> SendMessageBatchAsync(string queueName, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Receives messages, long-polling when <see cref="ReceiveOptions.WaitTime"/> asks to; an empty list when none arrived.</summary>
    Task<IReadOnlyList<QueueMessage>> ReceiveMessagesAsync(string queueName, ReceiveOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a received message.</summary>
    Task DeleteMessageAsync(string queueName, string receiptHandle, CancellationToken cancellationToken = default);

    /// <summary>Deletes several received messages; each entry succeeds or fails on its own.</summary>
    Task<IReadOnlyList<EntryResult>> DeleteMessageBatchAsync(string queueName, IReadOnlyList<string> receiptHandles, CancellationToken cancellationToken = default);

    /// <summary>Changes a received message's visibility timeout, counted from now (0: visible at once).</summary>
    Task ChangeMessageVisibilityAsync(string queueName, string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>Changes several received messages' visibility timeouts; each entry succeeds or fails on its own.</summary>
    Task<IReadOnlyList<EntryResult>> ChangeMessageVisibilityBatchAsync(string queueName, IReadOnlyList<VisibilityChange> changes, CancellationToken cancellationToken = default);

    /// <summary>Starts moving a dead-letter queue's messages to <paramref name="destinationQueue"/> (null: back to their sources). Returns the task handle.</summary>
    Task<string> StartMessageMoveTaskAsync(string sourceQueue, string? destinationQueue = null, int? maxNumberOfMessagesPerSecond = null, CancellationToken cancellationToken = default);

    /// <summary>Lists a source queue's move tasks, newest first.</summary>
    Task<IReadOnlyList<MessageMoveTask>> ListMessageMoveTasksAsync(string sourceQueue, int maxResults = 1, CancellationToken cancellationToken = default);

    /// <summary>Cancels a running move task; returns how many messages it had moved.</summary>
    Task<long> CancelMessageMoveTaskAsync(string taskHandle, CancellationToken cancellationToken = default);

    /// <summary>A round trip to the server (in-process: returns at once); returns how long it took.</summary>
    Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default);

    /// <summary>Server and per-queue statistics.</summary>
    Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken = default);
}
