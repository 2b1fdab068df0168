using System.Buffers;
using LogQueue.Engine.Queues.Delivery;
using LogQueue.Engine.Queues.Journal;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Queues.Receipts;

namespace LogQueue.Engine.Queues;

internal sealed partial class MessageQueue
{
    /// <summary>
    /// Deletes the messages the receipt handles name. Each entry succeeds when its handle is the newest for
    /// a message (in flight, or visible again but not received since), or when the message is already
    /// deleted; a forged or foreign handle fails with ReceiptHandleIsInvalid, a stale one (the message was
    /// received again since) with MessageNotInflight, deleting nothing. Completes when the successful
    /// deletes are durable under the durability mode.
    /// </summary>
    public async ValueTask<IReadOnlyList<BatchResultEntry<bool>>> DeleteBatchAsync(IReadOnlyList<(string Id, string ReceiptHandle)> entries, CancellationToken cancellationToken)
    {
        if (_partitions is not null)
        {
            return await DeleteFifoBatchAsync(entries, cancellationToken).ConfigureAwait(false);
        }

        var results = new BatchResultEntry<bool>[entries.Count];
        JournalEntry[] journal = ArrayPool<JournalEntry>.Shared.Rent(entries.Count);
        int journaled = 0;
        long floorBefore;
        long floorAfter;
        lock (_lock)
        {
            ThrowIfClosed();
            floorBefore = _deleted.Floor;
            for (int i = 0; i < entries.Count; i++)
            {
                (string id, string text) = entries[i];
                if (!TryValidateHandleLocked(text, out ReceiptHandle handle, out ErrorCode error, out string? message))
                {
                    results[i] = new BatchResultEntry<bool>(id, error, message!);
                    continue;
                }

                if (_deleted.IsDeleted(handle.Sequence))
                {
                    // Deleted already, perhaps by a call whose journal append is still waiting for its flush:
                    // journal the delete again (replay is idempotent), so that this call too is acknowledged
                    // only once a record of the delete is durable.
                    journal[journaled++] = JournalEntry.Deleted(handle.Sequence, handle.Sequence + 1);
                    results[i] = new BatchResultEntry<bool>(id, true);
                    continue;
                }

                DeleteLocked(handle.Sequence);
                journal[journaled++] = JournalEntry.Deleted(handle.Sequence, handle.Sequence + 1);
                results[i] = new BatchResultEntry<bool>(id, true);
            }

            if (journaled > 0)
            {
                ServeWaitersLocked(); // Waiters held back by the in-flight limit.
            }

            floorAfter = _deleted.Floor;
        }

        // The journal has encoded the entries by the time AppendAsync returns, so the array goes back to the
        // pool after it; an exception leaves it to the collector, which the pool allows.
        if (journaled > 0)
        {
            await _journal.AppendAsync(journal.AsMemory(0, journaled), cancellationToken).ConfigureAwait(false);
        }

        ArrayPool<JournalEntry>.Shared.Return(journal);

        if (floorAfter > floorBefore)
        {
            ReclaimSpace(floorAfter);
        }

        return results;
    }

    /// <summary>Deletes one message (see <see cref="DeleteBatchAsync"/>); throws on a bad or stale handle.</summary>
    public async ValueTask DeleteAsync(string receiptHandle, CancellationToken cancellationToken)
    {
        IReadOnlyList<BatchResultEntry<bool>> result = await DeleteBatchAsync([("0", receiptHandle)], cancellationToken).ConfigureAwait(false);
        if (!result[0].Succeeded)
        {
            throw new LogQueueException(result[0].Error, result[0].ErrorMessage!);
        }
    }

    /// <summary>
    /// Changes the visibility timeout of in-flight messages, counted from now: 0 makes a message visible at
    /// once. The total since the receive may not exceed 12 hours.
    /// </summary>
    public IReadOnlyList<BatchResultEntry<bool>> ChangeVisibilityBatch(IReadOnlyList<(string Id, string ReceiptHandle, TimeSpan Timeout)> entries)
    {
        if (_partitions is not null)
        {
            return ChangeFifoVisibilityBatch(entries);
        }

        var results = new BatchResultEntry<bool>[entries.Count];
        lock (_lock)
        {
            ThrowIfClosed();
            bool returnedAny = false;
            for (int i = 0; i < entries.Count; i++)
            {
                (string id, string text, TimeSpan timeout) = entries[i];
                if (VisibilityTimeoutOutOfRange(id, timeout) is { } outOfRange)
                {
                    results[i] = outOfRange;
                    continue;
                }

                if (!TryValidateHandleLocked(text, out ReceiptHandle handle, out ErrorCode error, out string? message))
                {
                    results[i] = new BatchResultEntry<bool>(id, error, message!);
                    continue;
                }

                if (!_inFlight.TryGetValue(handle.Sequence, out InFlightMessage? entry) || entry.ReceiveCount != handle.ReceiveCount)
                {
                    results[i] = new BatchResultEntry<bool>(id, ErrorCode.MessageNotInflight, "The message is not in flight: its visibility timeout ran out, or it was deleted.");
                    continue;
                }

                if (VisibilityPastTwelveHours(id, timeout, entry.ReceivedAtMs) is { } tooLong)
                {
                    results[i] = tooLong;
                    continue;
                }

                if (!_wheel.TrySchedule(entry, timeout))
                {
                    _inFlight.Remove(handle.Sequence);
                    _returned.Enqueue(handle.Sequence, handle.Sequence);
                    returnedAny = true;
                }

                results[i] = new BatchResultEntry<bool>(id, true);
            }

            if (returnedAny)
            {
                ServeWaitersLocked();
            }
        }

        return results;
    }

    // The checks of a visibility change that standard and FIFO queues share, in the same words.
    private static BatchResultEntry<bool>? VisibilityTimeoutOutOfRange(string id, TimeSpan timeout) =>
        timeout < TimeSpan.Zero || timeout > MaxVisibilityTimeout
            ? new BatchResultEntry<bool>(id, ErrorCode.InvalidParameterValue, $"VisibilityTimeout must be 0 to 43200 seconds; it is {timeout.TotalSeconds:0.###}.")
            : null;

    private BatchResultEntry<bool>? VisibilityPastTwelveHours(string id, TimeSpan timeout, long receivedAtMs)
    {
        long total = _wheel.NowMilliseconds + (long)timeout.TotalMilliseconds - receivedAtMs;
        return total > (long)MaxVisibilityTimeout.TotalMilliseconds
            ? new BatchResultEntry<bool>(id, ErrorCode.InvalidParameterValue, $"The visibility timeout would end {TimeSpan.FromMilliseconds(total):g} after the receive; the most is 12 hours.")
            : null;
    }

    /// <summary>Changes one message's visibility (see <see cref="ChangeVisibilityBatch"/>); throws on failure.</summary>
    public void ChangeVisibility(string receiptHandle, TimeSpan timeout)
    {
        IReadOnlyList<BatchResultEntry<bool>> result = ChangeVisibilityBatch([("0", receiptHandle, timeout)]);
        if (!result[0].Succeeded)
        {
            throw new LogQueueException(result[0].Error, result[0].ErrorMessage!);
        }
    }

    /// <summary>The wheel's callback: a visibility timeout ran out.</summary>
    internal void OnVisibilityExpired(InFlightMessage entry)
    {
        lock (_lock)
        {
            // IsScheduled: a visibility change between the wheel collecting this entry and calling it scheduled it again;
            // the extension wins, or the message would go to a second consumer while the first holds it.
            if (_closed || entry.IsScheduled || !_inFlight.TryGetValue(entry.Sequence, out InFlightMessage? current) || !ReferenceEquals(current, entry))
            {
                return;
            }

            _inFlight.Remove(entry.Sequence);
            _returned.Enqueue(entry.Sequence, entry.Sequence);
            ServeWaitersLocked();
        }
    }

    private const string InvalidHandleMessage = "The receipt handle is not valid for this queue.";

    // Authentic, and issued by this incarnation of the queue (a handle of a deleted and re-created queue is not).
    private bool TryDecodeHandle(string? text, out ReceiptHandle handle) =>
        ReceiptHandle.TryDecode(text, _secret, out handle) && handle.QueueIncarnation == Incarnation;

    private bool TryValidateHandleLocked(string? text, out ReceiptHandle handle, out ErrorCode error, out string? message)
    {
        error = ErrorCode.None;
        message = null;
        if (!TryDecodeHandle(text, out handle))
        {
            error = ErrorCode.ReceiptHandleIsInvalid;
            message = InvalidHandleMessage;
            return false;
        }

        if (_deleted.IsDeleted(handle.Sequence))
        {
            return true;
        }

        int current = _receiveStates.TryGetValue(handle.Sequence, out ReceiveState state) ? state.ReceiveCount : 0;
        if (current != handle.ReceiveCount || _moving.Contains(handle.Sequence))
        {
            error = ErrorCode.MessageNotInflight;
            message = "The receipt handle is stale: the message has been received again since.";
            return false;
        }

        return true;
    }

    // Forgets every piece of delivery state of a message and marks it deleted.
    private void DeleteLocked(long sequence)
    {
        _deleted.MarkDeleted(sequence);
        _receiveStates.Remove(sequence);
        _moving.Remove(sequence);
        if (_inFlight.Remove(sequence, out InFlightMessage? entry))
        {
            _wheel.Cancel(entry);
        }

        if (_delayed.Remove(sequence, out DelayedMessage? delayed))
        {
            _wheel.Cancel(delayed);
        }
    }
}
