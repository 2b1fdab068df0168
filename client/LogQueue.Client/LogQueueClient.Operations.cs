using LogQueue.Protocol;
using LogQueue.Protocol.Operations;

namespace LogQueue.Client;

public sealed partial class LogQueueClient
{
    // The longest long poll the server allows; a receive that leaves the wait to the queue may wait this long.
    private static readonly TimeSpan MaxWaitTime = TimeSpan.FromSeconds(20);

    /// <inheritdoc />
    public async Task<string> CreateQueueAsync(string queueName, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        CreateQueueResponse response = await CallAsync<CreateQueueRequest, CreateQueueResponse>(new CreateQueueRequest(queueName, attributes), idempotent: false, cancellationToken).ConfigureAwait(false);
        return response.QueueName;
    }

    /// <inheritdoc />
    public Task DeleteQueueAsync(string queueName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        return CallAsync<DeleteQueueRequest, EmptyResponse>(new DeleteQueueRequest(queueName), idempotent: false, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListQueuesAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        ListQueuesResponse response = await CallAsync<ListQueuesRequest, ListQueuesResponse>(new ListQueuesRequest(prefix), idempotent: true, cancellationToken).ConfigureAwait(false);
        return response.QueueNames;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(string queueName, IReadOnlyList<string>? attributeNames = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        QueueAttributesResponse response = await CallAsync<GetQueueAttributesRequest, QueueAttributesResponse>(
            new GetQueueAttributesRequest(queueName, attributeNames ?? []), idempotent: true, cancellationToken).ConfigureAwait(false);
        return response.Attributes;
    }

    /// <inheritdoc />
    public Task SetQueueAttributesAsync(string queueName, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentNullException.ThrowIfNull(attributes);
        return CallAsync<SetQueueAttributesRequest, EmptyResponse>(new SetQueueAttributesRequest(queueName, attributes), idempotent: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task PurgeQueueAsync(string queueName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        return CallAsync<PurgeQueueRequest, EmptyResponse>(new PurgeQueueRequest(queueName), idempotent: false, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A send with a <see cref="OutgoingMessage.MessageDeduplicationId"/> (FIFO queues) is retried once when its connection
    /// drops before the answer, within the same timeout: the queue's 5-minute deduplication window makes the retry
    /// store nothing new if the first attempt was stored, and it answers with the original's message id and sequence.
    /// That holds only inside the window, so the retry is made only while less than 4 minutes have passed since the
    /// call began, and it gives up (<see cref="ErrorCode.RequestTimedOut"/>) when those 4 minutes end, even if
    /// <see cref="LogQueueClientOptions.RequestTimeout"/> is longer; a drop after them throws
    /// <see cref="ErrorCode.ConnectionLost"/>, and the send may or may not have been stored.
    /// A caller that awaits each send keeps its group's order through the retry, since nothing else of it is on the
    /// way meanwhile. Sends without an explicit id (content-based deduplication included: the client does not know the
    /// queue's setting) are not retried.
    /// </remarks>
    public Task<SendMessageResponse> SendMessageAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        long started = _time.GetTimestamp();
        Task<SendMessageResponse> send = NextConnection().SendMessageAsync(queueName, message, _options.RequestTimeout, cancellationToken);

        // Only a send that may be retried pays for a second state machine.
        return message.MessageDeduplicationId is null ? send : RetryDeduplicatedSendAsync(send, queueName, message, started, cancellationToken);
    }

    private async Task<SendMessageResponse> RetryDeduplicatedSendAsync(Task<SendMessageResponse> send, string queueName, OutgoingMessage message, long started, CancellationToken cancellationToken)
    {
        TimeSpan timeout = DeduplicatedRetryDeadline(_options.RequestTimeout);
        try
        {
            return await send.ConfigureAwait(false);
        }
        catch (LogQueueException ex) when (CanRetry(ex, started, timeout))
        {
            LogRetryingDeduplicatedSend(Opcode.SendMessage, ex.Message);
            return await NextConnection().SendMessageAsync(queueName, message, timeout - _time.GetElapsedTime(started), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// A batch whose every entry has a <see cref="OutgoingMessage.MessageDeduplicationId"/> is retried once when its
    /// connection drops, as a single send with one is, and only within the same 4 minutes of the call's start (see
    /// <see cref="SendMessageAsync"/>); entries keep their order.
    /// </remarks>
    public async Task<IReadOnlyList<SendResult>> SendMessageBatchAsync(string queueName, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentNullException.ThrowIfNull(messages);
        bool deduplicated = messages.Count > 0 && messages.All(static m => m.MessageDeduplicationId is not null);
        SendMessageBatchResponse response = await CallAsync<SendMessageBatchRequest, SendMessageBatchResponse>(
            new SendMessageBatchRequest(queueName, messages), idempotent: deduplicated, cancellationToken, deduplicated: deduplicated).ConfigureAwait(false);
        return response.Results;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<QueueMessage>> ReceiveMessagesAsync(string queueName, ReceiveOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        options ??= new ReceiveOptions();
        var request = new ReceiveMessageRequest(queueName, options.MaxNumberOfMessages, options.VisibilityTimeout, options.WaitTime, options.ReceiveRequestAttemptId);
        TimeSpan wait = options.WaitTime ?? MaxWaitTime;
        ReceiveMessageResponse response = await CallAsync<ReceiveMessageRequest, ReceiveMessageResponse>(
            request,
            idempotent: false,
            cancellationToken,
            extraWait: wait > MaxWaitTime ? MaxWaitTime : wait,
            lateResponse: late => ReleaseLateMessages(queueName, late)).ConfigureAwait(false);
        return ToQueueMessages(this, queueName, response.Messages);
    }

    /// <summary>
    /// The protocol has no way to cancel a long poll, so a receive the caller gave up on (cancelled, timed out) may
    /// still be answered with messages the server has put in flight for it. Nobody will handle them: they are made
    /// visible again at once instead of staying invisible for a whole visibility timeout. Runs off the reader loop.
    /// </summary>
    private void ReleaseLateMessages(string queueName, ReceiveMessageResponse late)
    {
        if (late.Messages.Count == 0 || _disposed != 0)
        {
            return;
        }

        VisibilityChange[] changes = [.. late.Messages.Select(m => new VisibilityChange(m.ReceiptHandle, TimeSpan.Zero))];
        LogReleasingLateMessages(changes.Length, queueName);
        _ = Task.Run(async () =>
        {
            try
            {
                foreach (VisibilityChange[] chunk in changes.Chunk(Math.Max(1, ServerInfo?.MaxBatchSize ?? 10)))
                {
                    await ChangeMessageVisibilityBatchAsync(queueName, chunk, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is LogQueueException or ObjectDisposedException)
            {
                // They become visible when their visibility timeout ends instead.
                LogLateReleaseFailed(queueName, ex.Message);
            }
        });
    }

    /// <inheritdoc />
    public Task DeleteMessageAsync(string queueName, string receiptHandle, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentException.ThrowIfNullOrEmpty(receiptHandle);
        return CallAsync<DeleteMessageRequest, EmptyResponse>(new DeleteMessageRequest(queueName, receiptHandle), idempotent: false, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EntryResult>> DeleteMessageBatchAsync(string queueName, IReadOnlyList<string> receiptHandles, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentNullException.ThrowIfNull(receiptHandles);
        BatchResultResponse response = await CallAsync<DeleteMessageBatchRequest, BatchResultResponse>(
            new DeleteMessageBatchRequest(queueName, receiptHandles), idempotent: false, cancellationToken).ConfigureAwait(false);
        return response.Results;
    }

    /// <inheritdoc />
    public Task ChangeMessageVisibilityAsync(string queueName, string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentException.ThrowIfNullOrEmpty(receiptHandle);
        return CallAsync<ChangeMessageVisibilityRequest, EmptyResponse>(
            new ChangeMessageVisibilityRequest(queueName, receiptHandle, visibilityTimeout), idempotent: false, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EntryResult>> ChangeMessageVisibilityBatchAsync(string queueName, IReadOnlyList<VisibilityChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentNullException.ThrowIfNull(changes);
        BatchResultResponse response = await CallAsync<ChangeMessageVisibilityBatchRequest, BatchResultResponse>(
            new ChangeMessageVisibilityBatchRequest(queueName, changes), idempotent: false, cancellationToken).ConfigureAwait(false);
        return response.Results;
    }

    /// <inheritdoc />
    public async Task<string> StartMessageMoveTaskAsync(string sourceQueue, string? destinationQueue = null, int? maxNumberOfMessagesPerSecond = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceQueue);
        StartMessageMoveTaskResponse response = await CallAsync<StartMessageMoveTaskRequest, StartMessageMoveTaskResponse>(
            new StartMessageMoveTaskRequest(sourceQueue, destinationQueue, maxNumberOfMessagesPerSecond), idempotent: false, cancellationToken).ConfigureAwait(false);
        return response.TaskHandle;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MessageMoveTask>> ListMessageMoveTasksAsync(string sourceQueue, int maxResults = 1, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceQueue);
        ListMessageMoveTasksResponse response = await CallAsync<ListMessageMoveTasksRequest, ListMessageMoveTasksResponse>(
            new ListMessageMoveTasksRequest(sourceQueue, maxResults), idempotent: true, cancellationToken).ConfigureAwait(false);
        return response.Tasks;
    }

    /// <inheritdoc />
    public async Task<long> CancelMessageMoveTaskAsync(string taskHandle, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskHandle);
        CancelMessageMoveTaskResponse response = await CallAsync<CancelMessageMoveTaskRequest, CancelMessageMoveTaskResponse>(
            new CancelMessageMoveTaskRequest(taskHandle), idempotent: false, cancellationToken).ConfigureAwait(false);
        return response.ApproximateNumberOfMessagesMoved;
    }

    /// <inheritdoc />
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        long started = _time.GetTimestamp();
        await CallAsync<PingRequest, EmptyResponse>(PingRequest.Instance, idempotent: true, cancellationToken).ConfigureAwait(false);
        return _time.GetElapsedTime(started);
    }

    /// <inheritdoc />
    public Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken = default) =>
        CallAsync<StatsRequest, StatsResponse>(StatsRequest.Instance, idempotent: true, cancellationToken);

    /// <summary>Wraps received messages with the calls that settle them through <paramref name="client"/>.</summary>
    internal static IReadOnlyList<QueueMessage> ToQueueMessages(ILogQueueClient client, string queueName, IReadOnlyList<ReceivedMessage> received)
    {
        if (received.Count == 0)
        {
            return [];
        }

        var messages = new QueueMessage[received.Count];
        for (int i = 0; i < messages.Length; i++)
        {
            ReceivedMessage m = received[i];
            messages[i] = new QueueMessage(
                client,
                queueName,
                m.MessageId,
                m.SequenceNumber,
                m.ReceiptHandle,
                m.Body,
                m.Attributes,
                DateTimeOffset.FromUnixTimeMilliseconds(m.SentTimestamp),
                m.ReceiveCount,
                DateTimeOffset.FromUnixTimeMilliseconds(m.FirstReceiveTimestamp),
                m.DeadLetterSourceQueue,
                m.MessageGroupId,
                m.MessageDeduplicationId);
        }

        return messages;
    }
}
