using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Delivery;
using LogQueue.Engine.Queues.Journal;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Queues.Receipts;

namespace LogQueue.Engine.Queues;

internal sealed partial class MessageQueue
{
    private static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromHours(12);
    private static readonly TimeSpan MaxWaitTime = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Receives up to <see cref="ReceiveMessageRequest.MaxNumberOfMessages"/> messages, and no more than fit in
    /// <see cref="ReceiveMessageRequest.MaxTotalBytes"/> (at least one), long-polling up to the wait time when
    /// none is visible. Cancellation and timeout return an empty list.
    /// </summary>
    public async ValueTask<IReadOnlyList<ReceivedMessage>> ReceiveAsync(ReceiveMessageRequest request, int maxBatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        QueueSettings settings = Settings;
        if (request.MaxNumberOfMessages < 1 || request.MaxNumberOfMessages > maxBatch)
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, $"MaxNumberOfMessages must be 1 to {maxBatch}; it is {request.MaxNumberOfMessages}.");
        }

        TimeSpan visibility = request.VisibilityTimeout ?? settings.VisibilityTimeout;
        if (visibility < TimeSpan.Zero || visibility > MaxVisibilityTimeout)
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, $"VisibilityTimeout must be 0 to 43200 seconds; it is {visibility.TotalSeconds:0.###}.");
        }

        TimeSpan wait = request.WaitTime ?? settings.ReceiveWaitTime;
        if (wait < TimeSpan.Zero || wait > MaxWaitTime)
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, $"WaitTimeSeconds must be 0 to 20; it is {wait.TotalSeconds:0.###}.");
        }

        if (request.MaxTotalBytes < 0 || request.PerMessageOverhead < 0)
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, $"MaxTotalBytes and PerMessageOverhead must not be negative; they are {request.MaxTotalBytes} and {request.PerMessageOverhead}.");
        }

        var budget = new ReceiveBudget(request.MaxNumberOfMessages, request.MaxTotalBytes ?? long.MaxValue, request.PerMessageOverhead);
        if (cancellationToken.IsCancellationRequested)
        {
            return []; // Cancelled before it began: it takes nothing, as one cancelled while waiting.
        }

        if (_partitions is not null)
        {
            return await ReceiveFifoAsync(request, budget, visibility, wait, settings, cancellationToken).ConfigureAwait(false);
        }

        List<ReceiveCandidate> taken;
        List<ReceiveCandidate>? deadLetters = null;
        ReceiveWaiter? waiter = null;
        lock (_lock)
        {
            ThrowIfClosed();
            taken = TakeVisibleLocked(budget, visibility, ref deadLetters);

            // Dead letters set aside are not for this caller: with nothing else, it waits like any other.
            if (taken.Count == 0 && wait > TimeSpan.Zero && !cancellationToken.IsCancellationRequested)
            {
                waiter = AddWaiterLocked(budget, visibility, wait);
            }
        }

        if (deadLetters is not null)
        {
            await MoveToDeadLetterQueueAsync(deadLetters, settings, cancellationToken).ConfigureAwait(false);
        }

        if (waiter is not null)
        {
            taken = await WaitToBeServedAsync(waiter, cancellationToken).ConfigureAwait(false);
        }

        if (taken.Count == 0)
        {
            return [];
        }

        // Taken messages are in flight under a new receive count: the caller must get them, so a
        // cancellation that comes now must not abandon the wait for the journal and lose them.
        await JournalReceivesAsync(taken, CancellationToken.None).ConfigureAwait(false);
        return ReadOut(taken);
    }

    // A long poll joins the waiters (served oldest first) with its deadline on the wheel. The queue's lock is held.
    private ReceiveWaiter AddWaiterLocked(ReceiveBudget budget, TimeSpan visibility, TimeSpan wait)
    {
        var waiter = new ReceiveWaiter(this, budget, visibility);
        waiter.Node = _waiters.AddLast(waiter);
        _wheel.TrySchedule(waiter, wait);
        return waiter;
    }

    // Waits, off the lock, until a send, a timer or a delete serves the long poll, its deadline passes or it is cancelled.
    private static async ValueTask<List<ReceiveCandidate>> WaitToBeServedAsync(ReceiveWaiter waiter, CancellationToken cancellationToken)
    {
        waiter.Cancellation = cancellationToken.Register(static state => ((ReceiveWaiter)state!).Cancel(), waiter);
        List<ReceiveCandidate> taken = await waiter.Task.ConfigureAwait(false);
        waiter.Cancellation.Dispose();
        return taken;
    }

    /// <summary>The wheel's callback: a long poll's wait ran out.</summary>
    internal void OnWaitExpired(ReceiveWaiter waiter) => EndWait(waiter);

    /// <summary>The caller cancelled a long poll.</summary>
    internal void EndWait(ReceiveWaiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node is null)
            {
                return; // Already served.
            }

            _waiters.Remove(waiter.Node);
            waiter.Node = null;
        }

        _wheel.Cancel(waiter);
        waiter.Complete([]);
    }

    // Hands visible messages to waiting receives, oldest waiter first, each up to its own budget. At the
    // in-flight limit they go on waiting (only a receive that arrives then is told OverLimit: this runs in
    // a send, a timer or a delete, which must not fail for it), and a delete serves them.
    private void ServeWaitersLocked()
    {
        if (_partitions is not null)
        {
            ServeFifoWaitersLocked();
            return;
        }

        while (_waiters.First is { } node && _inFlight.Count < _maxInFlight)
        {
            ReceiveWaiter waiter = node.Value;
            List<ReceiveCandidate>? deadLetters = null;
            List<ReceiveCandidate> taken = TakeVisibleLocked(waiter.Budget, waiter.VisibilityTimeout, ref deadLetters);
            if (deadLetters is not null)
            {
                // Moves are I/O: run them off the lock and off this thread.
                QueueSettings settings = Settings;
                _ = Task.Run(() => MoveToDeadLetterQueueAsync(deadLetters, settings, CancellationToken.None).AsTask());
            }

            if (taken.Count == 0)
            {
                return;
            }

            _waiters.Remove(node);
            waiter.Node = null;
            _wheel.Cancel(waiter);
            waiter.Complete(taken);
        }
    }

    /// <summary>
    /// Takes visible messages within <paramref name="budget"/> and makes them in flight. Messages that have used
    /// up their receives under a redrive policy are set aside in <paramref name="deadLetters"/> instead, free of
    /// the budget's bytes.
    /// </summary>
    /// <remarks>
    /// The first message that does not fit the byte budget (never the first one taken) is looked at but not taken:
    /// no receive state, in-flight entry or timer is made for it, and it goes back to <c>_returned</c>, where the
    /// next receive finds it before anything the cursor would give (a grouped one at the front of its group), so
    /// the queue's order is kept.
    /// </remarks>
    private List<ReceiveCandidate> TakeVisibleLocked(ReceiveBudget budget, TimeSpan visibility, ref List<ReceiveCandidate>? deadLetters)
    {
        int max = budget.MaxMessages;
        long bytes = 0;
        var taken = new List<ReceiveCandidate>(Math.Min(max, 16));
        List<long>? visibleAgain = null;
        QueueSettings settings = Settings;
        long now = NowUnixMs();
        long wheelNow = _wheel.NowMilliseconds;
        long bound = DeliverableBound();
        while (taken.Count < max)
        {
            if (_inFlight.Count >= _maxInFlight)
            {
                if (taken.Count == 0)
                {
                    throw new LogQueueException(ErrorCode.OverLimit, $"The queue '{Name}' has {_inFlight.Count} messages in flight, the most allowed.");
                }

                break;
            }

            if (!TryNextVisibleLocked(bound, now, settings, out long sequence, out int size))
            {
                break;
            }

            // One hash lookup for the read and the update of the message's receive state.
            ref ReceiveState state = ref CollectionsMarshal.GetValueRefOrAddDefault(_receiveStates, sequence, out bool receivedBefore);
            int receiveCount = 1;
            long firstReceive = now;
            if (receivedBefore)
            {
                receiveCount = state.ReceiveCount + 1;
                firstReceive = state.FirstReceiveTimestampMs;
            }

            if (settings.DeadLetterTargetQueue is not null && receiveCount > settings.MaxReceiveCount)
            {
                // Left as it was (it was received before: receiveCount > MaxReceiveCount >= 1).
                _moving.Add(sequence);
                (deadLetters ??= []).Add(new ReceiveCandidate(sequence, receiveCount - 1, firstReceive));
                continue;
            }

            long cost = (long)size + budget.PerMessageOverhead;
            if (taken.Count > 0 && cost > budget.MaxBytes - bytes)
            {
                if (!receivedBefore)
                {
                    _receiveStates.Remove(sequence); // The lookup above added it; this receive did not happen.
                }

                _returned.Enqueue(sequence, sequence);
                break;
            }

            bytes += cost;

            state = new ReceiveState(receiveCount, firstReceive);
            var entry = new InFlightMessage(this, sequence, receiveCount, wheelNow);
            _inFlight.Add(sequence, entry);
            if (!_wheel.TrySchedule(entry, visibility, wheelNow))
            {
                // A zero visibility timeout: delivered, and visible again at once, but only after this
                // receive, or the loop would take the same message again for the rest of the batch.
                _inFlight.Remove(sequence);
                (visibleAgain ??= []).Add(sequence);
            }

            taken.Add(new ReceiveCandidate(sequence, receiveCount, firstReceive));
        }

        foreach (long sequence in visibleAgain ?? [])
        {
            _returned.Enqueue(sequence, sequence);
        }

        return taken;
    }

    // The next deliverable message and its stored size: messages visible again first, then the rotation of
    // groups and the log (MessageQueue.Fairness.cs). One visible again that belongs to a group rejoins its group
    // at the front instead: a noisy group's expired or delayed messages must not crowd out the quiet groups either.
    // Those are set aside and put in front of their groups together, highest first, so that they come out lowest
    // first. SkipLocalsInit: see TryAdvanceCursorLocked.
    [SkipLocalsInit]
    private bool TryNextVisibleLocked(long bound, long now, QueueSettings settings, out long sequence, out int size)
    {
        while (_returned.TryDequeue(out sequence, out _))
        {
            if (_deleted.IsDeleted(sequence) || _inFlight.ContainsKey(sequence) || _delayed.ContainsKey(sequence) || _moving.Contains(sequence))
            {
                continue; // A stale entry: the heap is cleaned lazily.
            }

            Unsafe.SkipInit(out GroupedTiming record);
            if (!TryReadGroupedTiming(sequence, ref record))
            {
                continue; // Removed with its segment.
            }

            size = record.Size;
            if (!IsDueLocked(sequence, record.Timestamp, record.DelayMilliseconds, now, settings))
            {
                continue;
            }

            if (record.GroupIdLength == 0)
            {
                _groups.PrependVisibleAgain();
                return true;
            }

            _groups.SetAsideVisibleAgain(record.GroupId[..record.GroupIdLength], sequence);
        }

        _groups.PrependVisibleAgain();
        return TryNextInRotationLocked(bound, now, settings, out sequence, out size);
    }

    // Checks retention and delay of a candidate; expired messages are deleted, delayed ones parked. Its stored
    // size comes from the same read, for the receive's byte budget.
    private bool IsDeliverableLocked(long sequence, long now, QueueSettings settings, out int size) =>
        TryReadTiming(sequence, out long timestamp, out uint delayMs, out size) && IsDueLocked(sequence, timestamp, delayMs, now, settings);

    // Retention and delay of a message whose timing was read: an expired one is deleted, a delayed one parked.
    private bool IsDueLocked(long sequence, long timestamp, uint delayMs, long now, QueueSettings settings)
    {
        if (timestamp + (long)settings.RetentionPeriod.TotalMilliseconds <= now)
        {
            ExpireLocked(sequence);
            return false;
        }

        long dueAt = timestamp + delayMs;
        if (dueAt > now)
        {
            RegisterDelayedLocked(sequence, TimeSpan.FromMilliseconds(dueAt - now));
            return !_delayed.ContainsKey(sequence) && !_deleted.IsDeleted(sequence);
        }

        return true;
    }

    private async ValueTask JournalReceivesAsync(List<ReceiveCandidate> taken, CancellationToken cancellationToken)
    {
        JournalEntry[] entries = ArrayPool<JournalEntry>.Shared.Rent(taken.Count);
        for (int i = 0; i < taken.Count; i++)
        {
            entries[i] = JournalEntry.Received(taken[i].Sequence, taken[i].ReceiveCount, taken[i].FirstReceiveTimestamp);
        }

        // The journal has encoded the entries by the time AppendAsync returns (see DeleteBatchAsync).
        await _journal.AppendAsync(entries.AsMemory(0, taken.Count), cancellationToken).ConfigureAwait(false);
        ArrayPool<JournalEntry>.Shared.Return(entries);
    }

    private List<ReceivedMessage> ReadOut(List<ReceiveCandidate> taken)
    {
        var messages = new List<ReceivedMessage>(taken.Count);
        foreach (ReceiveCandidate candidate in taken)
        {
            ReadOutRecord record = default;
            if (!_log.TryRead(candidate.Sequence, ref record, static (in RecordView view, ref ReadOutRecord read) => read = ReadOutRecord.From(in view)))
            {
                continue; // Purged while being received.
            }

            string handle = new ReceiptHandle(Incarnation, candidate.Sequence, candidate.ReceiveCount).Encode(_secret);
            MessageId id = record.Engine.OriginalMessageId is { } original && MessageId.TryParse(original, out MessageId kept)
                ? kept
                : new MessageId(Incarnation, candidate.Sequence);
            messages.Add(new ReceivedMessage(
                id,
                candidate.Sequence,
                record.Body,
                record.Attributes,
                handle,
                record.Timestamp,
                candidate.ReceiveCount,
                candidate.FirstReceiveTimestamp,
                record.Engine.DeadLetterSourceQueue?.Value,
                record.GroupId,
                record.DeduplicationId));
        }

        return messages;
    }

    // What a receive takes from a stored record, read in place: the body is the only copy it makes (a
    // StoredRecord would add an object per message and a copy of the attributes block).
    private readonly record struct ReadOutRecord(
        ReadOnlyMemory<byte> Body,
        MessageAttributes Attributes,
        MessageEngineAttributes Engine,
        long Timestamp,
        string? GroupId,
        string? DeduplicationId)
    {
        public static ReadOutRecord From(in RecordView view)
        {
            MessageAttributes attributes = MessageAttributesCodec.Decode(view.Attributes, out MessageEngineAttributes engine);
            return new ReadOutRecord(
                view.Body.ToArray(),
                attributes,
                engine,
                view.Timestamp,
                view.GroupIdUtf8.IsEmpty ? null : Encoding.UTF8.GetString(view.GroupIdUtf8),
                view.DeduplicationIdUtf8.IsEmpty ? null : Encoding.UTF8.GetString(view.DeduplicationIdUtf8));
        }
    }
}
