using System.Runtime.CompilerServices;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Delivery;
using LogQueue.Engine.Queues.Fifo;
using LogQueue.Engine.Queues.Journal;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Queues;

internal sealed partial class MessageQueue
{
    /// <summary>
    /// FIFO counts: not visible = in flight or moving; delayed = what the scan holds back behind a message still
    /// within the queue's delay (with one delay for the queue, everything sent after it is delayed too).
    /// </summary>
    private QueueCounts GetFifoCounts()
    {
        ScanIfBehind(waitForScan: true);
        lock (_lock)
        {
            long next = _log.NextSequence;
            long stored = next - _deleted.Floor - _deleted.DeletedAboveFloor;
            long notVisible = Volatile.Read(ref _fifoInFlight);
            long delayed = 0;
            long scanned = Volatile.Read(ref _scanned);
            if (Volatile.Read(ref _scanHeldUntilMs) != 0 && scanned < next)
            {
                delayed = next - scanned - _deleted.CountDeleted(scanned, next);
            }

            long oldestAge = 0;
            long oldest = _deleted.NextUndeleted(_deleted.Floor);
            if (oldest < next && TryReadTiming(oldest, out long timestamp, out _))
            {
                oldestAge = Math.Max(0, NowUnixMs() - timestamp) / 1000;
            }

            return new QueueCounts(Math.Max(0, stored - notVisible - delayed), notVisible, delayed, oldestAge);
        }
    }

    // The purge's part under the queue's lock: every group, in-flight entry and receive state goes, and the scan
    // moves past everything purged.
    private void PurgeFifoLocked(long upTo)
    {
        lock (_scanLock)
        {
            foreach (FifoPartition partition in _partitions!)
            {
                lock (partition.Lock)
                {
                    foreach (FifoInFlightMessage entry in partition.InFlight.Values)
                    {
                        _wheel.Cancel(entry);
                    }

                    partition.Clear();
                }
            }

            Volatile.Write(ref _fifoInFlight, 0);
            _receiveStates.Clear();
            _wheel.Cancel(_scanTimer!);
            Volatile.Write(ref _scanHeldUntilMs, 0);
            Volatile.Write(ref _scanned, Math.Max(_scanned, upTo));
        }

        _attempts.Clear();
    }

    // At close: no timer of the queue may fire into a closed queue's state.
    private void CancelFifoTimersLocked()
    {
        foreach (FifoPartition partition in _partitions!)
        {
            lock (partition.Lock)
            {
                foreach (FifoInFlightMessage entry in partition.InFlight.Values)
                {
                    _wheel.Cancel(entry);
                }
            }
        }

        _wheel.Cancel(_scanTimer!);
    }

    /// <summary>
    /// The receive states of a FIFO queue, gathered for a checkpoint with the queue's lock held. The scan lock
    /// and every partition lock are held while the snapshot is captured, so no receive can apply a state that
    /// the snapshot misses and journal it below the snapshot's position. A checkpoint is rare; this is its
    /// whole cost to receives.
    /// </summary>
    private QueueStateSnapshot CaptureFifoSnapshotLocked()
    {
        FifoPartition[] partitions = _partitions!;
        lock (_scanLock)
        {
            int entered = 0;
            try
            {
                for (; entered < partitions.Length; entered++)
                {
                    partitions[entered].Lock.Enter();
                }

                var receives = new List<KeyValuePair<long, ReceiveState>>(_receiveStates);
                foreach (FifoPartition partition in partitions)
                {
                    receives.AddRange(partition.Receives);
                }

                return _journal.CaptureSnapshot(_deleted, receives);
            }
            finally
            {
                for (int i = entered - 1; i >= 0; i--)
                {
                    partitions[i].Lock.Exit();
                }
            }
        }
    }

    /// <summary>
    /// Retention on a FIFO queue, from the maintenance pass with the queue's lock held: only when the oldest
    /// message has passed it, every group not in flight drops its expired heads (a group's messages are in send
    /// order, so its expired ones are at its head).
    /// </summary>
    private void ExpireFifoHeadsLocked(long limit)
    {
        long oldest = _deleted.NextUndeleted(_deleted.Floor);
        if (oldest >= _log.NextSequence || !TryReadTiming(oldest, out long oldestTimestamp, out _) || oldestTimestamp > limit)
        {
            return;
        }

        List<long>? expired = null;
        foreach (FifoPartition partition in _partitions!)
        {
            lock (partition.Lock)
            {
                foreach (MessageGroup group in partition.Groups.Values)
                {
                    while (group.InFlight == 0 && group.Waiting.Count > 0)
                    {
                        long sequence = group.Waiting.Front;
                        if (TryReadTiming(sequence, out long timestamp, out _) && timestamp > limit)
                        {
                            break;
                        }

                        group.Waiting.PopFront();
                        partition.Receives.Remove(sequence);
                        (expired ??= []).Add(sequence);
                    }
                }
            }
        }

        if (expired is not null)
        {
            ExpireFifoLocked(expired);
        }
    }

    /// <summary>
    /// Moves the heads of groups that used up their receives to the FIFO dead-letter queue, keeping their group and
    /// deduplication id. Each group stays locked until its head's move ends: moved, the head is deleted here and the
    /// group goes on with its next message; not moved, the head goes back and is tried again.
    /// </summary>
    private async ValueTask MoveFifoDeadLettersAsync(List<ReceiveCandidate> deadLetters, QueueSettings settings)
    {
        MessageQueue? target = FindDeadLetterQueue(settings);
        var progress = new StrongBox<int>();
        try
        {
            if (target is not null)
            {
                await CopyDeadLettersAsync(deadLetters, target, progress, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            int moved = progress.Value;
            var journal = new List<JournalEntry>(moved);
            for (int i = 0; i < deadLetters.Count; i++)
            {
                long sequence = deadLetters[i].Sequence;
                if (!TryFindPartition(sequence, out FifoPartition partition))
                {
                    continue;
                }

                lock (partition.Lock)
                {
                    if (!partition.Moving.Remove(sequence, out MessageGroup? group))
                    {
                        continue; // Purged meanwhile.
                    }

                    Interlocked.Decrement(ref _fifoInFlight);
                    if (i < moved)
                    {
                        partition.Release(group); // Its receive state goes once the delete is marked, below.
                        journal.Add(JournalEntry.Deleted(sequence, sequence + 1));
                    }
                    else
                    {
                        partition.Return(group, sequence);
                    }
                }
            }

            lock (_lock)
            {
                foreach (JournalEntry entry in journal)
                {
                    _deleted.MarkDeleted(entry.Sequence);
                    if (TryFindPartition(entry.Sequence, out FifoPartition partition))
                    {
                        lock (partition.Lock)
                        {
                            partition.Receives.Remove(entry.Sequence);
                        }
                    }
                }

                // Only a move that happened opens groups. After a failed one the heads are back, and serving a waiting
                // long poll now would pick the same heads as dead letters and fail again, in a loop, for as long as the
                // dead-letter queue is missing: they wait for the next receive instead.
                if (!_closed && journal.Count > 0)
                {
                    ServeWaitersLocked();
                }
            }

            if (journal.Count > 0)
            {
                await _journal.AppendAsync(journal.ToArray(), CancellationToken.None).ConfigureAwait(false);
                LogMovedToDeadLetterQueue(Name, journal.Count, target!.Name);
            }
        }
    }
}
