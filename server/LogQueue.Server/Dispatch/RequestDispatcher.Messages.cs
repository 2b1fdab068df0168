using System.Globalization;
using LogQueue.Engine;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;
using LogQueue.Server.Connections;
using EngineReceive = LogQueue.Engine.Queues.Messages.ReceiveMessageRequest;
using EngineReceived = LogQueue.Engine.Queues.Messages.ReceivedMessage;
using EngineSend = LogQueue.Engine.Queues.Messages.SendMessageRequest;
using ReceiveMessageRequest = LogQueue.Protocol.Operations.ReceiveMessageRequest;
using ReceivedMessage = LogQueue.Protocol.Operations.ReceivedMessage;
using SendMessageRequest = LogQueue.Protocol.Operations.SendMessageRequest;

namespace LogQueue.Server.Dispatch;

internal sealed partial class RequestDispatcher
{
    private async Task<SendMessageResponse> SendMessageAsync(SendMessageRequest request)
    {
        EngineSend send = MessageConversion.ToEngine(request.Message);
        SendMessageResult result = await Engine.SendMessageAsync(request.QueueName, send, CancellationToken.None).ConfigureAwait(false);
        return new SendMessageResponse(MessageConversion.ToWire(result.MessageId), result.SequenceNumber);
    }

    private async Task<SendMessageBatchResponse> SendMessageBatchAsync(SendMessageBatchRequest request)
    {
        IReadOnlyList<OutgoingMessage> messages = request.Messages;
        if (messages.Count > _options.MaxBatchSize)
        {
            throw TooManyEntries(messages.Count);
        }

        // An entry the server refuses (bad attributes) fails on its own, as one the engine refuses would;
        // the rest still go to the engine together.
        var results = new SendResult[messages.Count];
        var entries = new List<(string Id, EngineSend Request)>(messages.Count);
        for (int i = 0; i < messages.Count; i++)
        {
            try
            {
                entries.Add((_entryIds[i], MessageConversion.ToEngine(messages[i])));
            }
            catch (LogQueueException ex)
            {
                results[i] = SendResult.Failure(MessageConversion.ToWire(ex.Code), ex.Message);
            }
        }

        // An empty batch still goes to the engine, whose EmptyBatchRequest error is the answer.
        if (entries.Count > 0 || messages.Count == 0)
        {
            IReadOnlyList<BatchResultEntry<SendMessageResult>> sent =
                await Engine.SendMessageBatchAsync(request.QueueName, entries, CancellationToken.None).ConfigureAwait(false);
            foreach (BatchResultEntry<SendMessageResult> entry in sent)
            {
                int index = EntryIndex(entry.Id);
                results[index] = entry.Succeeded && entry.Result is { } ok
                    ? SendResult.Success(MessageConversion.ToWire(ok.MessageId), ok.SequenceNumber)
                    : SendResult.Failure(MessageConversion.ToWire(entry.Error), entry.ErrorMessage ?? string.Empty);
            }
        }

        return new SendMessageBatchResponse(results);
    }

    /// <summary>
    /// Answers a receive only while the connection's unread answers stay under <see cref="UnreadAnswerLimit"/>.
    /// Its messages are in flight the moment the engine hands them out; a client that pipelines receives and never
    /// reads the answers would otherwise make the server hold every one of them. Past the limit the messages go
    /// straight back to the queue (visible again, their receive counted) and the client gets TooManyPendingRequests.
    /// </summary>
    private void AnswerReceive(FrameHeader header, ReceiveMessageRequest request, ReceiveMessageResponse response, OutboundFrames output)
    {
        if (response.Messages.Count == 0)
        {
            output.WriteResponse(header.Opcode, header.RequestId, response);
            return;
        }

        if (output.TryWriteResponse(header.Opcode, header.RequestId, response, UnreadAnswerLimit))
        {
            return;
        }

        var returned = new (string Id, string ReceiptHandle, TimeSpan VisibilityTimeout)[response.Messages.Count];
        for (int i = 0; i < returned.Length; i++)
        {
            returned[i] = (_entryIds[i], response.Messages[i].ReceiptHandle, TimeSpan.Zero);
        }

        Engine.ChangeMessageVisibilityBatch(request.QueueName, returned);
        output.WriteError(
            header.Opcode,
            header.RequestId,
            Protocol.ErrorCode.TooManyPendingRequests,
            string.Create(CultureInfo.InvariantCulture, $"The connection has more than {UnreadAnswerLimit >> 20} MiB of answers the client has not read; the {returned.Length} messages received went back to the queue. Read the answers, or use fewer concurrent receives per connection."));
    }

    private async Task<ReceiveMessageResponse> ReceiveMessageAsync(ReceiveMessageRequest request, CancellationToken cancellationToken)
    {
        // The count goes to the engine unchanged (out-of-range ones for its error); the byte budget makes it stop
        // at as many messages as fit in one response frame by their actual sizes (ReceiveLimit).
        // ReceiveRequestAttemptId is for FIFO queues; the engine ignores it on standard ones, as SQS does.
        var receive = new EngineReceive(
            request.MaxNumberOfMessages,
            request.VisibilityTimeout,
            request.WaitTime,
            ReceiveBudget,
            ReceiveLimit.PerMessageOverhead,
            request.ReceiveRequestAttemptId);
        IReadOnlyList<EngineReceived> received = await Engine
            .ReceiveMessageAsync(request.QueueName, receive, cancellationToken)
            .ConfigureAwait(false);
        if (received.Count == 0)
        {
            return ReceiveMessageResponse.Empty;
        }

        var messages = new ReceivedMessage[received.Count];
        for (int i = 0; i < messages.Length; i++)
        {
            messages[i] = MessageConversion.ToWire(received[i]);
        }

        return new ReceiveMessageResponse(messages);
    }

    private async Task<EmptyResponse> DeleteMessageAsync(DeleteMessageRequest request)
    {
        await Engine.DeleteMessageAsync(request.QueueName, request.ReceiptHandle, CancellationToken.None).ConfigureAwait(false);
        return EmptyResponse.Instance;
    }

    private async Task<BatchResultResponse> DeleteMessageBatchAsync(DeleteMessageBatchRequest request)
    {
        IReadOnlyList<string> handles = request.ReceiptHandles;
        if (handles.Count > _options.MaxBatchSize)
        {
            throw TooManyEntries(handles.Count);
        }

        var entries = new (string Id, string ReceiptHandle)[handles.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = (_entryIds[i], handles[i]);
        }

        IReadOnlyList<BatchResultEntry<bool>> deleted = await Engine.DeleteMessageBatchAsync(request.QueueName, entries, CancellationToken.None).ConfigureAwait(false);
        return ToBatchResult(deleted, handles.Count);
    }

    private EmptyResponse ChangeMessageVisibility(ChangeMessageVisibilityRequest request)
    {
        Engine.ChangeMessageVisibility(request.QueueName, request.ReceiptHandle, request.VisibilityTimeout);
        return EmptyResponse.Instance;
    }

    private BatchResultResponse ChangeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request)
    {
        IReadOnlyList<VisibilityChange> changes = request.Changes;
        if (changes.Count > _options.MaxBatchSize)
        {
            throw TooManyEntries(changes.Count);
        }

        var entries = new (string Id, string ReceiptHandle, TimeSpan VisibilityTimeout)[changes.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = (_entryIds[i], changes[i].ReceiptHandle, changes[i].VisibilityTimeout);
        }

        return ToBatchResult(Engine.ChangeMessageVisibilityBatch(request.QueueName, entries), changes.Count);
    }

    private static BatchResultResponse ToBatchResult(IReadOnlyList<BatchResultEntry<bool>> entries, int count)
    {
        var results = new EntryResult[count];
        foreach (BatchResultEntry<bool> entry in entries)
        {
            results[EntryIndex(entry.Id)] = entry.Succeeded
                ? EntryResult.Success
                : new EntryResult(MessageConversion.ToWire(entry.Error), entry.ErrorMessage ?? string.Empty);
        }

        return new BatchResultResponse(results);
    }

    // Entry ids are the positions the server gave them ("0", "1", ...).
    private static int EntryIndex(string id) => int.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture);
}
