using LogQueue.Protocol;
using LogQueue.Protocol.Operations;

namespace LogQueue.Client.Connections;

internal sealed partial class LogQueueConnection
{
    // Room left in a batch frame for the header, the queue name and the per-entry framing that the estimate
    // below does not count exactly.
    private const int BatchFrameReserve = 4096;

    /// <summary>
    /// Sends one message. With natural batching on, a send that finds the writer idle goes out at once as a
    /// SendMessage frame; one that finds a write in flight waits for the writer's next round, which sends every
    /// waiting message for the same queue as one SendMessageBatch frame (as many as fit the server's batch and
    /// frame limits) and completes each caller from its own entry. There is no linger timer: batching only ever
    /// uses time the send would have spent waiting for the socket anyway.
    /// </summary>
    public async Task<SendMessageResponse> SendMessageAsync(string queueName, OutgoingMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_options.NaturalBatching)
        {
            return await RequestAsync<SendMessageRequest, SendMessageResponse>(new SendMessageRequest(queueName, message), timeout, cancellationToken).ConfigureAwait(false);
        }

        long started = _time.GetTimestamp();
        await AcquireSlotAsync(timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            ConnectionTransport transport = await GetTransportAsync(Remaining(started, timeout), cancellationToken).ConfigureAwait(false);
            var call = new PendingRequest<SendMessageResponse>();
            bool wake;
            lock (transport.WriteLock)
            {
                if (transport.IsClosed)
                {
                    call.Fail(NotSentException());
                    wake = false;
                }
                else if (!transport.WriterBusy)
                {
                    // Nothing in flight, so nothing to batch with: waiting would only add latency.
                    wake = TryEncodeLocked<SendMessageRequest, SendMessageResponse>(transport, new SendMessageRequest(queueName, message), call)
                        && MarkWriterBusyLocked(transport);
                }
                else
                {
                    if (!transport.QueuedSends.TryGetValue(queueName, out List<QueuedSend>? sends))
                    {
                        sends = [];
                        transport.QueuedSends.Add(queueName, sends);
                    }

                    sends.Add(new QueuedSend(message, call));
                    transport.QueuedSendCount++;
                    wake = false;
                }
            }

            if (wake)
            {
                transport.WriterWake.Writer.TryWrite(true);
            }

            return await AwaitResponseAsync(transport, call, Opcode.SendMessage, Remaining(started, timeout), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Under the write lock, in the writer's round: turns the waiting single sends into frames, per queue in
    /// arrival order, skipping callers that already gave up. A group of one goes out as a plain SendMessage.
    /// </summary>
    private void CoalesceQueuedSendsLocked(ConnectionTransport transport)
    {
        if (transport.QueuedSendCount == 0)
        {
            return;
        }

        int maxEntries = transport.MaxBatchSize;
        foreach ((string queueName, List<QueuedSend> sends) in transport.QueuedSends)
        {
            long budget = transport.MaxPayloadLength - BatchFrameReserve - (3L * queueName.Length);
            var group = new List<QueuedSend>(Math.Min(sends.Count, maxEntries));
            long groupSize = 0;
            foreach (QueuedSend send in sends)
            {
                if (send.Caller.Task.IsCompleted)
                {
                    continue;
                }

                long size = EstimateEncodedSize(send.Message);
                if (group.Count > 0 && (group.Count == maxEntries || groupSize + size > budget))
                {
                    WriteSendGroupLocked(transport, queueName, group);
                    group = new List<QueuedSend>(Math.Min(sends.Count, maxEntries));
                    groupSize = 0;
                }

                group.Add(send);
                groupSize += size;
            }

            if (group.Count > 0)
            {
                WriteSendGroupLocked(transport, queueName, group);
            }
        }

        transport.QueuedSends.Clear();
        transport.QueuedSendCount = 0;
    }

    private void WriteSendGroupLocked(ConnectionTransport transport, string queueName, List<QueuedSend> group)
    {
        if (group.Count == 1)
        {
            TryEncodeLocked<SendMessageRequest, SendMessageResponse>(transport, new SendMessageRequest(queueName, group[0].Message), group[0].Caller);
            return;
        }

        QueuedSend[] entries = [.. group];
        var messages = new OutgoingMessage[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            messages[i] = entries[i].Message;
        }

        if (TryEncodeLocked<SendMessageBatchRequest, SendMessageBatchResponse>(transport, new SendMessageBatchRequest(queueName, messages), new PendingSendBatch(entries)))
        {
            LogSendsCoalesced(Name, entries.Length, queueName);
        }
    }

    /// <summary>An upper bound of a message's bytes in a batch frame: strings at 3 UTF-8 bytes a character, plus framing.</summary>
    private static long EstimateEncodedSize(in OutgoingMessage message)
    {
        long size = 32 + message.Body.Length;
        size += 3L * ((message.MessageGroupId?.Length ?? 0) + (message.MessageDeduplicationId?.Length ?? 0));
        if (message.Attributes is not null)
        {
            foreach ((string name, MessageAttribute value) in message.Attributes)
            {
                size += 16 + (3L * (name.Length + value.DataType.Length + (value.StringValue?.Length ?? 0))) + value.BinaryValue.Length;
            }
        }

        return size;
    }
}
