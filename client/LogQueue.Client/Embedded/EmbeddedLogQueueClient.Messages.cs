using LogQueue.Client.Embedded;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using EngineException = LogQueue.Engine.LogQueueException;
using EngineReceivedMessage = LogQueue.Engine.Queues.Messages.ReceivedMessage;
using EngineReceiveRequest = LogQueue.Engine.Queues.Messages.ReceiveMessageRequest;
using EngineSendRequest = LogQueue.Engine.Queues.Messages.SendMessageRequest;

namespace LogQueue.Client;

public sealed partial class EmbeddedLogQueueClient
{
    /// <inheritdoc />
    public async Task<SendMessageResponse> SendMessageAsync(string queueName, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SendMessageResult result = await engine.SendMessageAsync(queueName, EngineMapping.ToEngine(message), cancellationToken).ConfigureAwait(false);
            return EngineMapping.ToProtocol(result);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <summary>
    /// Sends a batch. An entry the engine would refuse before storing (FIFO parameters, bad attributes) fails on its
    /// own, as on the server; the others share one append.
    /// </summary>
    public async Task<IReadOnlyList<SendResult>> SendMessageBatchAsync(string queueName, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (messages.Count > engine.Options.MaxBatchSize)
            {
                throw new LogQueueException(ErrorCode.TooManyEntriesInBatchRequest, $"The batch holds {messages.Count} entries; the most is {engine.Options.MaxBatchSize}.");
            }

            var results = new SendResult[messages.Count];
            var entries = new List<(string Id, EngineSendRequest Request)>(messages.Count);
            for (int i = 0; i < messages.Count; i++)
            {
                try
                {
                    entries.Add((EngineMapping.EntryId(i), EngineMapping.ToEngine(messages[i])));
                }
                catch (LogQueueException ex)
                {
                    results[i] = SendResult.Failure(ex.Code, ex.Message);
                }
            }

            if (entries.Count == 0 && messages.Count > 0)
            {
                return results;
            }

            IReadOnlyList<BatchResultEntry<SendMessageResult>> sent = await engine.SendMessageBatchAsync(queueName, entries, cancellationToken).ConfigureAwait(false);
            foreach (BatchResultEntry<SendMessageResult> entry in sent)
            {
                results[EngineMapping.EntryIndex(entry.Id)] = entry.Succeeded && entry.Result is { } result
                    ? SendResult.Success(EngineMapping.ToProtocol(result.MessageId), result.SequenceNumber)
                    : SendResult.Failure((ErrorCode)(ushort)entry.Error, entry.ErrorMessage ?? entry.Error.ToString());
            }

            return results;
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<QueueMessage>> ReceiveMessagesAsync(string queueName, ReceiveOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ReceiveOptions();
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<EngineReceivedMessage> received;
        try
        {
            var request = new EngineReceiveRequest(options.MaxNumberOfMessages, options.VisibilityTimeout, options.WaitTime, ReceiveRequestAttemptId: options.ReceiveRequestAttemptId);
            received = await engine.ReceiveMessageAsync(queueName, request, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }

        // The engine ends a cancelled long poll with an empty list; callers of this interface get the cancellation.
        if (received.Count == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return [];
        }

        var messages = new QueueMessage[received.Count];
        for (int i = 0; i < messages.Length; i++)
        {
            messages[i] = EngineMapping.ToQueueMessage(this, queueName, received[i]);
        }

        return messages;
    }

    /// <inheritdoc />
    public async Task DeleteMessageAsync(string queueName, string receiptHandle, CancellationToken cancellationToken = default)
    {
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await engine.DeleteMessageAsync(queueName, receiptHandle, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EntryResult>> DeleteMessageBatchAsync(string queueName, IReadOnlyList<string> receiptHandles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receiptHandles);
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entries = new (string Id, string ReceiptHandle)[receiptHandles.Count];
            for (int i = 0; i < entries.Length; i++)
            {
                entries[i] = (EngineMapping.EntryId(i), receiptHandles[i]);
            }

            IReadOnlyList<BatchResultEntry<bool>> deleted = await engine.DeleteMessageBatchAsync(queueName, entries, cancellationToken).ConfigureAwait(false);
            return InEntryOrder(deleted, entries.Length);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public async Task ChangeMessageVisibilityAsync(string queueName, string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            engine.ChangeMessageVisibility(queueName, receiptHandle, visibilityTimeout);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EntryResult>> ChangeMessageVisibilityBatchAsync(string queueName, IReadOnlyList<VisibilityChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entries = new (string Id, string ReceiptHandle, TimeSpan VisibilityTimeout)[changes.Count];
            for (int i = 0; i < entries.Length; i++)
            {
                entries[i] = (EngineMapping.EntryId(i), changes[i].ReceiptHandle, changes[i].VisibilityTimeout);
            }

            return InEntryOrder(engine.ChangeMessageVisibilityBatch(queueName, entries), entries.Length);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    private static EntryResult[] InEntryOrder(IReadOnlyList<BatchResultEntry<bool>> entries, int count)
    {
        var results = new EntryResult[count];
        foreach (BatchResultEntry<bool> entry in entries)
        {
            results[EngineMapping.EntryIndex(entry.Id)] = EngineMapping.ToEntryResult(entry);
        }

        return results;
    }
}
