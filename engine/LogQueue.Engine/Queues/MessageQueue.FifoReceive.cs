using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using LogQueue.Engine.Queues.Delivery;
using LogQueue.Engine.Queues.Fifo;
using LogQueue.Engine.Queues.Journal;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Queues;

internal sealed partial class MessageQueue
{
    // SQS keeps a ReceiveRequestAttemptId for 5 minutes.
    private static readonly TimeSpan AttemptLifetime = TimeSpan.FromMinutes(5);

    // A bound on remembered attempts, whatever the rate of receives: the oldest are forgotten first.
    private const int MaxRememberedAttempts = 10_000;

    /// <summary>
    /// A FIFO receive: takes ready groups round-robin, each from its head, several consecutive messages of a
    /// group and several groups per receive. The queue's lock is taken only to wait (nothing was ready) and to
    /// record expiries; the receive itself takes the scan lock when there is something new and the locks of the
    /// partitions it visits, starting at a different partition each time.
    /// </summary>
    private async ValueTask<IReadOnlyList<ReceivedMessage>> ReceiveFifoAsync(
        ReceiveMessageRequest request,
        ReceiveBudget budget,
        TimeSpan visibility,
        TimeSpan wait,
        QueueSettings settings,
        CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        string? attemptId = request.ReceiveRequestAttemptId;
        if (attemptId is not null)
        {
            FifoIdentifier.Validate(attemptId, "ReceiveRequestAttemptId");
            if (TryReplayAttempt(attemptId, out ReceiveCandidate[]? replayed))
            {
                return ReadOut([.. replayed]);
            }
        }

        List<ReceiveCandidate>? deadLetters = null;
        List<long>? expired = null;
        List<ReceiveCandidate> taken = TakeFifo(budget, visibility, settings, ref deadLetters, ref expired, out bool overLimit, waitForScan: false);
        ReceiveWaiter? waiter = null;
        if (taken.Count == 0 && !overLimit && (wait == TimeSpan.Zero || cancellationToken.IsCancellationRequested))
        {
            // Nothing ready, perhaps only because another receive was distributing new messages: wait for its scan.
            taken = TakeFifo(budget, visibility, settings, ref deadLetters, ref expired, out overLimit);
        }
        else if (taken.Count == 0 && !overLimit)
        {
            lock (_lock)
            {
                ThrowIfClosed();

                // Once more under the lock that sends, deletes and timers serve waiters under: whatever became
                // ready since the take above is found now, or what makes it ready later finds this waiter.
                taken = TakeFifo(budget, visibility, settings, ref deadLetters, ref expired, out overLimit);
                if (taken.Count == 0 && !overLimit)
                {
                    waiter = AddWaiterLocked(budget, visibility, wait);
                }
            }
        }

        if (expired is not null)
        {
            lock (_lock)
            {
                ExpireFifoLocked(expired);
            }
        }

        if (deadLetters is not null)
        {
            await MoveFifoDeadLettersAsync(deadLetters, settings).ConfigureAwait(false);
        }

        if (overLimit && taken.Count == 0)
        {
            throw new LogQueueException(ErrorCode.OverLimit, $"The queue '{Name}' has {Volatile.Read(ref _fifoInFlight)} messages in flight, the most allowed.");
        }

        if (waiter is not null)
        {
            taken = await WaitToBeServedAsync(waiter, cancellationToken).ConfigureAwait(false);
        }

        if (taken.Count == 0)
        {
            return [];
        }

        // As on the standard path: the messages are in flight under a new receive count, the caller must get them.
        await JournalReceivesAsync(taken, CancellationToken.None).ConfigureAwait(false);
        if (attemptId is not null)
        {
            RememberAttempt(attemptId, taken);
        }

        return ReadOut(taken);
    }

    // Serves waiting receives from ready groups, oldest waiter first; the queue's lock is held.
    private void ServeFifoWaitersLocked()
    {
        while (_waiters.First is { } node && Volatile.Read(ref _fifoInFlight) < _maxInFlight)
        {
            ReceiveWaiter waiter = node.Value;
            List<ReceiveCandidate>? deadLetters = null;
            List<long>? expired = null;
            QueueSettings settings = Settings;
            List<ReceiveCandidate> taken = TakeFifo(waiter.Budget, waiter.VisibilityTimeout, settings, ref deadLetters, ref expired, out _);
            if (expired is not null)
            {
                ExpireFifoLocked(expired);
            }

            if (deadLetters is not null)
            {
                // Moves are I/O: run them off the lock and off this thread.
                _ = Task.Run(() => MoveFifoDeadLettersAsync(deadLetters, settings).AsTask());
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
    /// Takes from ready groups within <paramref name="budget"/>, visiting the partitions round-robin from a
    /// rotating start. Heads past the retention period are set aside in <paramref name="expired"/> (to be marked
    /// deleted under the queue's lock), heads over maxReceiveCount in <paramref name="deadLetters"/> (their group
    /// stays locked until the move ends).
    /// </summary>
    private List<ReceiveCandidate> TakeFifo(
        ReceiveBudget budget,
        TimeSpan visibility,
        QueueSettings settings,
        ref List<ReceiveCandidate>? deadLetters,
        ref List<long>? expired,
        out bool overLimit,
        bool waitForScan = true)
    {
        ScanIfBehind(waitForScan);
        var taken = new List<ReceiveCandidate>(Math.Min(budget.MaxMessages, 16));
        var pass = new FifoTakePass(budget, visibility, settings, NowUnixMs(), _wheel.NowMilliseconds, taken);
        FifoPartition[] partitions = _partitions!;
        int start = partitions.Length == 1 ? 0 : (int)((uint)Interlocked.Increment(ref _nextPartition) % (uint)partitions.Length);
        for (int i = 0; i < partitions.Length && pass.WantsMore; i++)
        {
            FifoPartition partition = partitions[(start + i) % partitions.Length];

            // A hint read without the lock: a receive does not lock partitions with nothing ready. A group made
            // ready concurrently is found by the next receive, or by the waiter pass under the queue's lock.
            if (partition.Ready.Count == 0)
            {
                continue;
            }

            lock (partition.Lock)
            {
                TakeFromPartitionLocked(partition, ref pass);
            }
        }

        deadLetters = pass.DeadLetters is null ? deadLetters : [.. deadLetters ?? [], .. pass.DeadLetters];
        expired = pass.Expired is null ? expired : [.. expired ?? [], .. pass.Expired];
        overLimit = pass.OverLimit;
        return taken;
    }

    private void TakeFromPartitionLocked(FifoPartition partition, ref FifoTakePass pass)
    {
        List<FifoInFlightMessage>? visibleAgain = null;
        long retention = (long)pass.Settings.RetentionPeriod.TotalMilliseconds;
        bool deadLettering = pass.Settings.DeadLetterTargetQueue is not null;
        while (pass.WantsMore && partition.Ready.TryDequeue(out MessageGroup? group))
        {
            group.Queued = false;
            if (!group.IsReady)
            {
                partition.Requeue(group); // A stale entry: the ring is cleaned lazily.
                continue;
            }

            while (group.Waiting.Count > 0 && pass.WantsMore)
            {
                if (Volatile.Read(ref _fifoInFlight) >= _maxInFlight)
                {
                    pass.OverLimit = true;
                    break;
                }

                long sequence = group.Waiting.Front;
                if (!TryReadTiming(sequence, out long timestamp, out _, out int size))
                {
                    group.Waiting.PopFront(); // Removed with its segment.
                    partition.Receives.Remove(sequence);
                    continue;
                }

                if (timestamp + retention <= pass.Now)
                {
                    group.Waiting.PopFront();
                    partition.Receives.Remove(sequence);
                    (pass.Expired ??= []).Add(sequence);
                    continue;
                }

                ref ReceiveState state = ref CollectionsMarshal.GetValueRefOrAddDefault(partition.Receives, sequence, out bool receivedBefore);
                int receiveCount = receivedBefore ? state.ReceiveCount + 1 : 1;
                long firstReceive = receivedBefore ? state.FirstReceiveTimestampMs : pass.Now;
                if (deadLettering && receiveCount > pass.Settings.MaxReceiveCount)
                {
                    // The head goes to the dead-letter queue; the group waits for the move, then goes on in order.
                    group.Waiting.PopFront();
                    group.InFlight++;
                    Interlocked.Increment(ref _fifoInFlight);
                    partition.Moving.Add(sequence, group);
                    (pass.DeadLetters ??= []).Add(new ReceiveCandidate(sequence, receiveCount - 1, firstReceive));
                    break;
                }

                long cost = (long)size + pass.Budget.PerMessageOverhead;
                if (pass.Taken.Count > 0 && cost > pass.Budget.MaxBytes - pass.Bytes)
                {
                    if (!receivedBefore)
                    {
                        partition.Receives.Remove(sequence); // The lookup above added it; this receive did not happen.
                    }

                    pass.BudgetSpent = true;
                    break;
                }

                pass.Bytes += cost;
                state = new ReceiveState(receiveCount, firstReceive);
                group.Waiting.PopFront();
                group.InFlight++;
                Interlocked.Increment(ref _fifoInFlight);
                var entry = new FifoInFlightMessage(this, partition, group, sequence, receiveCount, pass.WheelNow);
                partition.InFlight.Add(sequence, entry);
                if (!_wheel.TrySchedule(entry, pass.Visibility, pass.WheelNow))
                {
                    // A zero visibility timeout: delivered, and back at the head at once, but after this receive.
                    (visibleAgain ??= []).Add(entry);
                }

                pass.Taken.Add(new ReceiveCandidate(sequence, receiveCount, firstReceive));
            }

            partition.Requeue(group);
        }

        foreach (FifoInFlightMessage entry in visibleAgain ?? [])
        {
            partition.InFlight.Remove(entry.Sequence);
            Interlocked.Decrement(ref _fifoInFlight);
            partition.Return(entry.Group, entry.Sequence);
        }
    }

    // Marks messages that passed the retention period deleted; the maintenance pass journals them.
    private void ExpireFifoLocked(List<long> expired)
    {
        foreach (long sequence in expired)
        {
            if (_deleted.MarkDeleted(sequence))
            {
                _expiredPending.Add(JournalEntry.Deleted(sequence, sequence + 1));
            }
        }
    }

    /// <summary>
    /// The attempt-id rule: a receive with an id seen within 5 minutes gets the same messages and receipt handles
    /// when every one of them is still in flight under that receive (not deleted, not returned by a visibility
    /// timeout or a change to 0, not received again). Otherwise the attempt is forgotten and the call is a fresh receive.
    /// </summary>
    private bool TryReplayAttempt(string attemptId, [NotNullWhen(true)] out ReceiveCandidate[]? taken)
    {
        taken = null;
        if (!_attempts.TryGetValue(attemptId, out FifoReceiveAttempt? attempt))
        {
            return false;
        }

        if (attempt.ExpiresAtMs <= NowUnixMs() || !IsStillInFlight(attempt.Taken))
        {
            _attempts.TryRemove(KeyValuePair.Create(attemptId, attempt));
            return false;
        }

        taken = attempt.Taken;
        return true;
    }

    private bool IsStillInFlight(ReceiveCandidate[] taken)
    {
        foreach (ReceiveCandidate candidate in taken)
        {
            if (!TryFindPartition(candidate.Sequence, out FifoPartition partition))
            {
                return false;
            }

            lock (partition.Lock)
            {
                if (!partition.InFlight.TryGetValue(candidate.Sequence, out FifoInFlightMessage? entry) || entry.ReceiveCount != candidate.ReceiveCount)
                {
                    return false;
                }
            }
        }

        return true;
    }

    // Remembers what an attempt took; forgets attempts past 5 minutes, and the oldest beyond the bound.
    private void RememberAttempt(string attemptId, List<ReceiveCandidate> taken)
    {
        long now = NowUnixMs();
        var attempt = new FifoReceiveAttempt(attemptId, [.. taken], now + (long)AttemptLifetime.TotalMilliseconds);
        _attempts[attemptId] = attempt;
        _attemptOrder.Enqueue(attempt);
        while (_attemptOrder.TryPeek(out FifoReceiveAttempt? oldest) && (oldest.ExpiresAtMs <= now || _attemptOrder.Count > MaxRememberedAttempts))
        {
            if (_attemptOrder.TryDequeue(out oldest))
            {
                _attempts.TryRemove(KeyValuePair.Create(oldest.Id, oldest));
            }
        }
    }

    // One receive's progress over the partitions it visits.
    private struct FifoTakePass(ReceiveBudget budget, TimeSpan visibility, QueueSettings settings, long now, long wheelNow, List<ReceiveCandidate> taken)
    {
        public readonly ReceiveBudget Budget = budget;
        public readonly TimeSpan Visibility = visibility;
        public readonly QueueSettings Settings = settings;
        public readonly long Now = now;
        public readonly long WheelNow = wheelNow;
        public readonly List<ReceiveCandidate> Taken = taken;
        public long Bytes;
        public bool OverLimit;
        public bool BudgetSpent;
        public List<ReceiveCandidate>? DeadLetters;
        public List<long>? Expired;

        public readonly bool WantsMore => !OverLimit && !BudgetSpent && Taken.Count < Budget.MaxMessages;
    }
}
