using System.Buffers;
using LogQueue.Engine.Queues.Fifo;
using LogQueue.Engine.Queues.Journal;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Queues.Receipts;

namespace LogQueue.Engine.Queues;

internal sealed partial class MessageQueue
{
    /// <summary>
    /// FIFO deletes: a handle deletes its message while the message is in flight under that receive, and unlocks
    /// its group by one. A message already deleted succeeds again (journaled again, as on the standard path). As in
    /// SQS, a handle whose visibility timeout ran out is refused (MessageNotInflight): the message is back at the
    /// head of its group, and deleting it there would let a consumer that lost its turn skip the group ahead.
    /// </summary>
    private async ValueTask<IReadOnlyList<BatchResultEntry<bool>>> DeleteFifoBatchAsync(IReadOnlyList<(string Id, string ReceiptHandle)> entries, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        var results = new BatchResultEntry<bool>[entries.Count];
        long[] sequences = new long[entries.Count];
        bool[] removed = new bool[entries.Count];
        var partitions = new FifoPartition?[entries.Count];

        // A batch usually deletes what one receive took, from a few groups: consecutive entries of one partition share
        // one hold of its lock. Only one partition lock is held at a time, so the lock order is kept.
        FifoPartition? held = null;
        try
        {
            for (int i = 0; i < entries.Count; i++)
            {
                (string id, string text) = entries[i];
                if (!TryDecodeHandle(text, out ReceiptHandle handle))
                {
                    results[i] = new BatchResultEntry<bool>(id, ErrorCode.ReceiptHandleIsInvalid, InvalidHandleMessage);
                    sequences[i] = -1;
                    continue;
                }

                sequences[i] = handle.Sequence;
                if (!TryFindPartition(handle.Sequence, out FifoPartition partition))
                {
                    continue;
                }

                if (!ReferenceEquals(partition, held))
                {
                    held?.Lock.Exit();
                    held = null;
                    partition.Lock.Enter();
                    held = partition;
                }

                removed[i] = TryRemoveInFlightLocked(partition, handle.Sequence, handle.ReceiveCount, forDelete: true) is not null;
                partitions[i] = partition;
            }
        }
        finally
        {
            held?.Lock.Exit();
        }

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
                long sequence = sequences[i];
                if (sequence < 0)
                {
                    continue;
                }

                if (removed[i] || _deleted.IsDeleted(sequence))
                {
                    _deleted.MarkDeleted(sequence);
                    journal[journaled++] = JournalEntry.Deleted(sequence, sequence + 1);
                    results[i] = new BatchResultEntry<bool>(entries[i].Id, true);
                }
                else
                {
                    results[i] = new BatchResultEntry<bool>(entries[i].Id, ErrorCode.MessageNotInflight, "The message is not in flight under this receipt handle: its visibility timeout ran out, or it was received again since.");
                }
            }

            ForgetReceiveStatesLocked(sequences, partitions);
            if (journaled > 0)
            {
                ServeWaitersLocked(); // The groups unlocked, and waiters held back by the in-flight limit.
            }

            floorAfter = _deleted.Floor;
        }

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

    /// <summary>FIFO visibility changes: 0 puts the message back at the head of its group at once.</summary>
    private BatchResultEntry<bool>[] ChangeFifoVisibilityBatch(IReadOnlyList<(string Id, string ReceiptHandle, TimeSpan Timeout)> entries)
    {
        ThrowIfClosed();
        var results = new BatchResultEntry<bool>[entries.Count];
        bool returnedAny = false;
        for (int i = 0; i < entries.Count; i++)
        {
            (string id, string text, TimeSpan timeout) = entries[i];
            if (VisibilityTimeoutOutOfRange(id, timeout) is { } outOfRange)
            {
                results[i] = outOfRange;
                continue;
            }

            if (!TryDecodeHandle(text, out ReceiptHandle handle))
            {
                results[i] = new BatchResultEntry<bool>(id, ErrorCode.ReceiptHandleIsInvalid, InvalidHandleMessage);
                continue;
            }

            results[i] = new BatchResultEntry<bool>(id, ErrorCode.MessageNotInflight, "The message is not in flight: its visibility timeout ran out, or it was deleted.");
            if (!TryFindPartition(handle.Sequence, out FifoPartition partition))
            {
                continue;
            }

            lock (partition.Lock)
            {
                if (!partition.InFlight.TryGetValue(handle.Sequence, out FifoInFlightMessage? entry) || entry.ReceiveCount != handle.ReceiveCount)
                {
                    continue;
                }

                if (VisibilityPastTwelveHours(id, timeout, entry.ReceivedAtMs) is { } tooLong)
                {
                    results[i] = tooLong;
                    continue;
                }

                if (!_wheel.TrySchedule(entry, timeout))
                {
                    TryRemoveInFlightLocked(partition, handle.Sequence, handle.ReceiveCount, forDelete: false);
                    returnedAny = true;
                }

                results[i] = new BatchResultEntry<bool>(id, true);
            }
        }

        if (returnedAny)
        {
            ServeWaitersAfterReturn();
        }

        return results;
    }

    /// <summary>The wheel's callback: a FIFO message's visibility timeout ran out; it goes back to the head of its group.</summary>
    internal void OnFifoVisibilityExpired(FifoInFlightMessage entry)
    {
        if (_closed)
        {
            return;
        }

        bool returned;
        lock (entry.Partition.Lock)
        {
            // IsScheduled: the wheel collects due entries under its lock and calls them after it; a visibility change
            // in between scheduled the entry again, and that extension wins (returning the message now would hand it to
            // a second consumer while the first holds it, out of its group's order).
            returned = !entry.IsScheduled
                && entry.Partition.InFlight.TryGetValue(entry.Sequence, out FifoInFlightMessage? current)
                && ReferenceEquals(current, entry)
                && TryRemoveInFlightLocked(entry.Partition, entry.Sequence, entry.ReceiveCount, forDelete: false) is not null;
        }

        if (returned)
        {
            ServeWaitersAfterReturn();
        }
    }

    // A group may be ready again: waiting receives get it. The queue's lock is taken after the partition's was released.
    private void ServeWaitersAfterReturn()
    {
        lock (_lock)
        {
            if (!_closed)
            {
                ServeWaitersLocked();
            }
        }
    }

    // Under the queue's lock, once the deletes are marked: the receive states of deleted messages go (partition locks
    // nest inside the queue's lock, one at a time). A checkpoint, which takes both, sees each message either received
    // and not deleted or deleted.
    private void ForgetReceiveStatesLocked(long[] sequences, FifoPartition?[] partitions)
    {
        for (int i = 0; i < sequences.Length; i++)
        {
            if (partitions[i] is { } partition && sequences[i] >= 0 && _deleted.IsDeleted(sequences[i]))
            {
                lock (partition.Lock)
                {
                    partition.Receives.Remove(sequences[i]);
                }
            }
        }
    }

    /// <summary>
    /// Takes a message out of flight if it is in flight under <paramref name="receiveCount"/>: for a delete it
    /// leaves its group (its receive state goes once the delete is marked), otherwise it goes back to its group's head. Either way the
    /// group unlocks by one.
    /// </summary>
    private FifoInFlightMessage? TryRemoveInFlightLocked(FifoPartition partition, long sequence, int receiveCount, bool forDelete)
    {
        if (!partition.InFlight.TryGetValue(sequence, out FifoInFlightMessage? entry) || entry.ReceiveCount != receiveCount)
        {
            return null;
        }

        partition.InFlight.Remove(sequence);
        _wheel.Cancel(entry);
        Interlocked.Decrement(ref _fifoInFlight);
        if (forDelete)
        {
            // The receive state stays until the delete is marked (ForgetReceiveStates): a checkpoint between the two
            // steps would otherwise record neither, and after a crash a poison message would start its count again.
            partition.Release(entry.Group);
        }
        else
        {
            partition.Return(entry.Group, sequence);
        }

        return entry;
    }
}
