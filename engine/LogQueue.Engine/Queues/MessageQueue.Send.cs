using System.Buffers;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Deduplication;
using LogQueue.Engine.Queues.Delivery;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Queues;

internal sealed partial class MessageQueue
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    // A FIFO queue's deduplication window (docs/deduplication.md); null on a standard queue, whose sends skip it.
    private readonly DeduplicationWindow? _deduplication;

    /// <summary>The deduplication window of a FIFO queue; null on a standard queue.</summary>
    internal DeduplicationWindow? Deduplication => _deduplication;

    // Run once by the constructor, after the log and the settings are in place. Whether a queue is FIFO never
    // changes; its DeduplicationScope may, and the window reads the one in force at every claim.
    private DeduplicationWindow? OpenDeduplicationWindow() =>
        Settings.Fifo is null ? null : DeduplicationWindow.Open(_log, () => Settings.Fifo!.DeduplicationScope, _time);

    /// <summary>
    /// Sends one message; completes when it counts as stored under the durability mode. On a FIFO queue, a send whose
    /// deduplication key was sent in the last five minutes stores nothing and returns the original's id and sequence.
    /// </summary>
    public async ValueTask<SendMessageResult> SendAsync(SendMessageRequest request, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        QueueSettings settings = Settings;
        TimeSpan delay = ValidateSend(request, settings, out string? deduplicationId);
        AppendRecord record = ToRecord(request, delay, deduplicationId);
        long sequence;
        if (_deduplication is null)
        {
            sequence = await _log.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            DeduplicationKey key = _deduplication.KeyFor(settings.Fifo!.DeduplicationScope, request.MessageGroupId, deduplicationId!);
            (sequence, bool stored) = await SendDeduplicatedAsync(record, key, cancellationToken).ConfigureAwait(false);
            if (!stored)
            {
                return new SendMessageResult(new MessageId(Incarnation, sequence), sequence);
            }
        }

        OnSent(sequence, 1, delay);
        return new SendMessageResult(new MessageId(Incarnation, sequence), sequence);
    }

    /// <summary>
    /// Sends a batch: entries that fail validation are reported per entry; the valid ones are appended
    /// together, with consecutive sequences and one flush.
    /// </summary>
    public async ValueTask<IReadOnlyList<BatchResultEntry<SendMessageResult>>> SendBatchAsync(
        IReadOnlyList<(string Id, SendMessageRequest Request)> entries,
        CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        QueueSettings settings = Settings;
        var results = new BatchResultEntry<SendMessageResult>?[entries.Count];
        AppendRecord[] records = ArrayPool<AppendRecord>.Shared.Rent(entries.Count);
        var positions = new int[entries.Count];
        int valid = 0;
        try
        {
            for (int i = 0; i < entries.Count; i++)
            {
                try
                {
                    TimeSpan delay = ValidateSend(entries[i].Request, settings, out string? deduplicationId);
                    records[valid] = ToRecord(entries[i].Request, delay, deduplicationId);
                    positions[valid++] = i;
                }
                catch (LogQueueException ex)
                {
                    results[i] = new BatchResultEntry<SendMessageResult>(entries[i].Id, ex.Code, ex.Message);
                }
            }

            if (valid > 0 && _deduplication is not null)
            {
                await SendBatchDeduplicatedAsync(entries, records, positions, valid, results, cancellationToken).ConfigureAwait(false);
            }
            else if (valid > 0)
            {
                long first = await _log.AppendBatchAsync(records.AsMemory(0, valid), cancellationToken).ConfigureAwait(false);

                // One OnSent (one lock, one pass over the waiters) per run of messages with the same delay,
                // usually the whole batch, rather than one per message.
                int runStart = 0;
                for (int k = 1; k <= valid; k++)
                {
                    if (k == valid || records[k].DelayMilliseconds != records[runStart].DelayMilliseconds)
                    {
                        OnSent(first + runStart, k - runStart, TimeSpan.FromMilliseconds(records[runStart].DelayMilliseconds));
                        runStart = k;
                    }
                }

                for (int k = 0; k < valid; k++)
                {
                    long sequence = first + k;
                    int i = positions[k];
                    results[i] = new BatchResultEntry<SendMessageResult>(entries[i].Id, new SendMessageResult(new MessageId(Incarnation, sequence), sequence));
                }
            }
        }
        finally
        {
            Array.Clear(records, 0, valid);
            ArrayPool<AppendRecord>.Shared.Return(records);
        }

        return results!;
    }

    /// <summary>
    /// A FIFO send: claim the key, and append only as its owner. A duplicate waits until its original is durable
    /// (in Always mode), so it is never acknowledged before the original could be.
    /// </summary>
    private async ValueTask<(long Sequence, bool Stored)> SendDeduplicatedAsync(AppendRecord record, DeduplicationKey key, CancellationToken cancellationToken)
    {
        DeduplicationWindow window = _deduplication!;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DeduplicationClaim claim = window.Claim(ref key);
            if (claim.Pending is { } pending)
            {
                await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (claim.IsDuplicate)
            {
                await WaitUntilDurableAsync(claim.Sequence, cancellationToken).ConfigureAwait(false);
                return (claim.Sequence, false);
            }

            long sequence;
            try
            {
                sequence = await AppendOwnedAsync(record).ConfigureAwait(false);
            }
            catch
            {
                window.Release([key]);
                throw;
            }

            window.Commit([key], sequence);
            try
            {
                await WaitUntilDurableAsync(sequence, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _ = AnnounceWhenDurableAsync(sequence, 1, TimeSpan.FromMilliseconds(record.DelayMilliseconds));
                throw;
            }

            return (sequence, true);
        }
    }

    /// <summary>
    /// A FIFO batch: every entry is a duplicate of a stored message, of an earlier entry, or new; the new ones are
    /// appended together in batch order (so a group's order in the batch is its order in the queue).
    /// </summary>
    private async ValueTask SendBatchDeduplicatedAsync(
        IReadOnlyList<(string Id, SendMessageRequest Request)> entries,
        AppendRecord[] records,
        int[] positions,
        int valid,
        BatchResultEntry<SendMessageResult>?[] results,
        CancellationToken cancellationToken)
    {
        DeduplicationWindow window = _deduplication!;
        DeduplicationScope scope = Settings.Fifo!.DeduplicationScope;
        var keys = new DeduplicationKey[valid];
        var claims = new DeduplicationClaim[valid];
        for (int k = 0; k < valid; k++)
        {
            keys[k] = window.KeyFor(scope, records[k].GroupId, records[k].DeduplicationId!);
        }

        while (window.ClaimBatch(keys, claims) is { } pending)
        {
            await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        // Owned records move to the front of the array, keeping their order; their keys likewise.
        int owned = 0;
        for (int k = 0; k < valid; k++)
        {
            if (claims[k].IsOwner)
            {
                records[owned] = records[k];
                keys[owned++] = keys[k];
            }
        }

        long first = 0;
        if (owned > 0)
        {
            try
            {
                first = await AppendOwnedAsync(records.AsMemory(0, owned)).ConfigureAwait(false);
            }
            catch
            {
                window.Release(keys.AsSpan(0, owned));
                throw;
            }

            window.Commit(keys.AsSpan(0, owned), first);
        }

        var sequences = new long[valid];
        long newest = -1;
        for (int k = 0, next = 0; k < valid; k++)
        {
            DeduplicationClaim claim = claims[k];
            sequences[k] = claim.IsOwner ? first + next++ : claim.IsDuplicate ? claim.Sequence : sequences[claim.EarlierEntry];
            newest = Math.Max(newest, sequences[k]);
        }

        // A FIFO queue delays by its DelaySeconds only, so every record of the batch has the same delay.
        TimeSpan delay = TimeSpan.FromMilliseconds(records[0].DelayMilliseconds);
        try
        {
            await WaitUntilDurableAsync(newest, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (owned > 0)
        {
            _ = AnnounceWhenDurableAsync(first, owned, delay);
            throw;
        }

        if (owned > 0)
        {
            OnSent(first, owned, delay);
        }

        for (int k = 0; k < valid; k++)
        {
            int i = positions[k];
            results[i] = new BatchResultEntry<SendMessageResult>(entries[i].Id, new SendMessageResult(new MessageId(Incarnation, sequences[k]), sequences[k]));
        }
    }

    // The owner of a key appends without a cancellation token: once a key is claimed, whether its record was stored
    // must be known (a cancelled wait for a spare segment would leave it open). When a segment has room, as it nearly
    // always has, the append completes at once, and the flush is waited for separately, after the key is committed.
    private ValueTask<long> AppendOwnedAsync(AppendRecord record) =>
        _log.TryAppend(in record, out long sequence) ? new ValueTask<long>(sequence) : _log.AppendAsync(record, CancellationToken.None);

    private ValueTask<long> AppendOwnedAsync(ReadOnlyMemory<AppendRecord> records) =>
        _log.TryAppend(records.Span, out long first) ? new ValueTask<long>(first) : _log.AppendBatchAsync(records, CancellationToken.None);

    /// <summary>
    /// For a sender that stopped waiting for the flush of records it stored: they are in the log and will be delivered,
    /// so once durable they are announced all the same (<see cref="OnSent"/> wakes waiting receives), or a long poll
    /// would sleep past them until some other send.
    /// </summary>
    private async Task AnnounceWhenDurableAsync(long first, int count, TimeSpan delay)
    {
        try
        {
            await WaitUntilDurableAsync(first + count - 1, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LogQueueException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            return; // The queue is closing or its log failed: there is no one left to wake.
        }

        OnSent(first, count, delay);
    }

    // In Always mode a send is acknowledged only once its record (for a duplicate, the original's) is durable.
    private ValueTask WaitUntilDurableAsync(long sequence, CancellationToken cancellationToken) =>
        _deliverOnlyDurable && sequence >= _log.DurableSequence
            ? new ValueTask(_log.WaitForDurableAsync(sequence, cancellationToken))
            : ValueTask.CompletedTask;

    /// <summary>
    /// Appends a message moved here from another queue (a dead letter, or a redrive back to its source),
    /// keeping its body, attributes and original sent time.
    /// </summary>
    internal async ValueTask<long> AppendMovedAsync(StoredRecord record, ReadOnlyMemory<byte> attributes, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        long sequence = await _log.AppendAsync(
            new AppendRecord(record.Body, attributes, record.GroupId, record.DeduplicationId, timestamp: record.Timestamp, flags: RecordFlags.Moved),
            cancellationToken).ConfigureAwait(false);
        OnSent(sequence, 1, TimeSpan.Zero);
        return sequence;
    }

    /// <summary>
    /// Checks a send against the queue's rules and returns its delay. <paramref name="deduplicationId"/> is what the record
    /// stores: the request's id, or on a FIFO queue with ContentBasedDeduplication and no id, the SHA-256 of the body.
    /// </summary>
    private static TimeSpan ValidateSend(SendMessageRequest request, QueueSettings settings, out string? deduplicationId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Body.IsEmpty)
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, "The message body must not be empty.");
        }

        if (request.MessageGroupId is not null)
        {
            FifoIdentifier.Validate(request.MessageGroupId, "MessageGroupId");
        }

        if (request.MessageDeduplicationId is not null)
        {
            FifoIdentifier.Validate(request.MessageDeduplicationId, "MessageDeduplicationId");
        }

        TimeSpan delay;
        if (settings.Fifo is { } fifo)
        {
            if (request.MessageGroupId is null)
            {
                throw new LogQueueException(ErrorCode.MissingParameter, "A FIFO queue needs a MessageGroupId on every message.");
            }

            if (request.Delay is not null)
            {
                // As SQS: a FIFO queue delays by its DelaySeconds only, so a group's messages become due in their order.
                throw new LogQueueException(ErrorCode.InvalidParameterValue, "A FIFO queue does not take a per-message DelaySeconds; set the queue's DelaySeconds instead.");
            }

            deduplicationId = request.MessageDeduplicationId
                ?? (fifo.ContentBasedDeduplication
                    ? MessageDeduplication.ContentHash(request.Body.Span)
                    : throw new LogQueueException(
                        ErrorCode.InvalidParameterValue,
                        "A FIFO queue needs a MessageDeduplicationId on every message unless ContentBasedDeduplication is enabled."));
            delay = settings.Delay;
        }
        else
        {
            if (request.MessageDeduplicationId is not null)
            {
                throw new LogQueueException(ErrorCode.InvalidParameterValue, "MessageDeduplicationId is only for FIFO queues; this is a standard queue.");
            }

            deduplicationId = null;
            delay = request.Delay ?? settings.Delay;
        }

        if (delay < TimeSpan.Zero || delay > MaxDelay)
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, $"DelaySeconds must be 0 to 900; it is {delay.TotalSeconds:0.###}.");
        }

        long size = request.Body.Length + (request.Attributes?.Size ?? 0);
        if (size > settings.MaximumMessageSize)
        {
            throw new LogQueueException(ErrorCode.MessageTooLong, $"The message is {size} bytes (body and attributes); the queue's MaximumMessageSize is {settings.MaximumMessageSize}.");
        }

        return delay;
    }

    private static AppendRecord ToRecord(SendMessageRequest request, TimeSpan delay, string? deduplicationId) => new(
        request.Body,
        EncodeAttributes(request.Attributes),
        request.MessageGroupId,
        deduplicationId,
        delayMilliseconds: (uint)delay.TotalMilliseconds);

    private static byte[] EncodeAttributes(MessageAttributes? attributes) =>
        attributes is null || attributes.Count == 0 ? [] : MessageAttributesCodec.Encode(attributes);

    // After an append: a delayed message waits on the wheel; anything else may complete a waiting receive.
    private void OnSent(long sequence, int count, TimeSpan delay)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            if (delay > TimeSpan.Zero)
            {
                for (long s = sequence; s < sequence + count; s++)
                {
                    if (s >= _cursor && !_deleted.IsDeleted(s))
                    {
                        RegisterDelayedLocked(s, delay);
                    }
                }
            }

            ServeWaitersLocked();
        }
    }

    private void RegisterDelayedLocked(long sequence, TimeSpan remaining)
    {
        if (_delayed.ContainsKey(sequence))
        {
            return;
        }

        var entry = new DelayedMessage(this, sequence);
        _delayed.Add(sequence, entry);
        if (!_wheel.TrySchedule(entry, remaining))
        {
            _delayed.Remove(sequence);
            _returned.Enqueue(sequence, sequence);
        }
    }

    /// <summary>The wheel's callback: a delay ran out.</summary>
    internal void OnDelayElapsed(DelayedMessage entry)
    {
        lock (_lock)
        {
            if (_closed || !_delayed.Remove(entry.Sequence))
            {
                return;
            }

            if (!_deleted.IsDeleted(entry.Sequence))
            {
                _returned.Enqueue(entry.Sequence, entry.Sequence);
                ServeWaitersLocked();
            }
        }
    }
}
