using System.Collections.Concurrent;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Fifo;
using LogQueue.Engine.Queues.Journal;
using LogQueue.Engine.Queues.Receipts;

namespace LogQueue.Engine.Queues;

/// <summary>
/// FIFO delivery (see docs/fifo.md). A FIFO queue does not use the cursor, the returned heap or the in-flight
/// table of the standard path: a log scan hands each message, in sequence order, to its message group, and
/// receives take from ready groups. Groups live in partitions picked by a keyed hash of the group id, each
/// with its own lock; a receive takes only the scan lock (when there is something new to scan) and the locks
/// of the partitions it takes from. Lock order: the queue's lock, then the scan lock, then partition locks
/// (ascending); a partition lock is never held while taking the queue's lock.
/// </summary>
internal sealed partial class MessageQueue
{
    // High-throughput mode: enough partitions that consumers on a few cores rarely meet on one lock.
    private const int HighThroughputPartitions = 64;

    // null on a standard queue: the one check the standard path pays.
    private readonly FifoPartition[]? _partitions;
    private readonly Lock _scanLock = new();
    private readonly FifoScanTimer? _scanTimer;
    private readonly FifoScanBatch? _scanBatch;
    private readonly ConcurrentDictionary<string, FifoReceiveAttempt> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FifoReceiveAttempt> _attemptOrder = new();

    // The next sequence the scan hands to its group; read without the scan lock only as a hint.
    private long _scanned;

    // When the scan stopped at a message still within the queue's delay: the Unix ms it comes due (0: not held).
    private long _scanHeldUntilMs;

    // Messages in flight or moving, over all partitions, for the in-flight limit and the counts.
    private int _fifoInFlight;
    private int _nextPartition;

    // After a restart the scan of the recovered log may stop at a delayed message; the deletes it must still
    // skip above that point, copied at open so the scan never reads the delete tracker (the queue lock's).
    private long _recoveredEnd;
    private HashSet<long>? _recoveredDeleted;

    /// <summary>Whether this is a FIFO queue (fixed when it was created).</summary>
    internal bool IsFifo => _partitions is not null;

    private static FifoPartition[] CreatePartitions(FifoQueueAttributes fifo)
    {
        int count = fifo.FifoThroughputLimit == FifoThroughputLimit.PerMessageGroupId ? HighThroughputPartitions : 1;
        var partitions = new FifoPartition[count];
        for (int i = 0; i < count; i++)
        {
            partitions[i] = new FifoPartition();
        }

        return partitions;
    }

    /// <summary>
    /// At open: every undeleted message goes to its group in sequence order, with its journaled receive state,
    /// and nothing is in flight (in-flight state is not journaled), so all of them are visible again in group
    /// order. The queue is not shared yet, so the delete tracker is read directly.
    /// </summary>
    private void RecoverFifo()
    {
        _scanned = _deleted.Floor;
        _recoveredEnd = _log.NextSequence;
        lock (_scanLock)
        {
            ScanLocked(_recoveredEnd, NowUnixMs(), recovering: true);
            if (_scanned < _recoveredEnd)
            {
                _recoveredDeleted = [];
                for (long sequence = _scanned; sequence < _recoveredEnd; sequence++)
                {
                    if (_deleted.IsDeleted(sequence))
                    {
                        _recoveredDeleted.Add(sequence);
                    }
                }
            }
        }
    }

    // Scans when there is something new below the bound that may be due: the common receive with nothing new
    // pays two reads and no lock. Without waitForScan, a receive that finds another one scanning goes on with
    // what the groups hold rather than queue behind it; only when that is nothing does it scan with waitForScan
    // (before a long poll waits, under the queue's lock: what the other scan distributes is seen then, or the
    // send that made it deliverable serves the waiter).
    private void ScanIfBehind(bool waitForScan)
    {
        long bound = DeliverableBound();
        if (Volatile.Read(ref _scanned) >= bound)
        {
            return;
        }

        long now = NowUnixMs();
        long heldUntil = Volatile.Read(ref _scanHeldUntilMs);
        if (heldUntil != 0 && heldUntil > now)
        {
            return;
        }

        if (!waitForScan)
        {
            if (!_scanLock.TryEnter())
            {
                return;
            }

            try
            {
                ScanLocked(bound, now, recovering: false);
            }
            finally
            {
                _scanLock.Exit();
            }

            return;
        }

        lock (_scanLock)
        {
            ScanLocked(bound, now, recovering: false);
        }
    }

    /// <summary>
    /// Hands the messages in [<see cref="_scanned"/>, <paramref name="bound"/>) to their groups, in sequence
    /// order: a group's order is the log's, whatever order concurrent sends completed in, because nothing at or
    /// above the bound is looked at. Stops at a message still within its delay: with one delay for the whole
    /// queue, the ones after it come due no earlier, and stopping keeps each group's order.
    /// </summary>
    private void ScanLocked(long bound, long now, bool recovering)
    {
        var read = new ScanRead(_secret.SipHashKey0, _secret.SipHashKey1);
        FifoPartition[] partitions = _partitions!;
        FifoScanBatch batch = _scanBatch!;
        Volatile.Write(ref _scanHeldUntilMs, 0);
        long sequence = _scanned;
        for (; sequence < bound; sequence++)
        {
            if (recovering ? _deleted.IsDeleted(sequence) : (sequence < _recoveredEnd && _recoveredDeleted?.Contains(sequence) == true))
            {
                continue;
            }

            if (!_log.TryRead(sequence, ref read, static (in RecordView record, ref ScanRead r) => r.Read(in record)))
            {
                continue; // Removed with its segment (a purge reclaimed it).
            }

            long dueAt = read.Timestamp + read.DelayMilliseconds;
            if (dueAt > now)
            {
                Volatile.Write(ref _scanHeldUntilMs, dueAt);
                _wheel.TrySchedule(_scanTimer!, TimeSpan.FromMilliseconds(dueAt - now));
                break;
            }

            batch.Add(read.GroupKey, sequence);
            if (batch.IsFull)
            {
                batch.Distribute(partitions, _receiveStates);
                Volatile.Write(ref _scanned, sequence + 1);
            }
        }

        batch.Distribute(partitions, _receiveStates);
        Volatile.Write(ref _scanned, Math.Max(_scanned, sequence));
        if (_recoveredDeleted is not null && _scanned >= _recoveredEnd)
        {
            _recoveredDeleted = null; // Past the recovered log: the copy of its deletes is no longer needed.
        }
    }

    /// <summary>The wheel's callback: the delayed message the scan stopped at is due.</summary>
    internal void OnFifoScanDue()
    {
        // The hold is forgotten before anyone looks: the timer runs on the wheel's monotonic clock and the hold is on
        // the wall clock, so a wall clock that stepped back (or lags the wheel by a millisecond) would otherwise still
        // see the message as early, skip the scan, and leave a long poll asleep with no timer left to wake it. The scan
        // holds again, and arms a new timer, if the message is in fact still early.
        Volatile.Write(ref _scanHeldUntilMs, 0);
        lock (_lock)
        {
            if (!_closed)
            {
                ServeWaitersLocked();
            }
        }
    }

    // The partition holding a message's group, found from its record; false when the record is gone.
    private bool TryFindPartition(long sequence, out FifoPartition partition)
    {
        FifoPartition[] partitions = _partitions!;
        if (partitions.Length == 1)
        {
            // perQueue: there is only one, and every caller looks the message up in it (a message whose record is
            // gone is in none of its tables), so the record need not be read.
            partition = partitions[0];
            return true;
        }

        var read = new ScanRead(_secret.SipHashKey0, _secret.SipHashKey1);
        if (!_log.TryRead(sequence, ref read, static (in RecordView record, ref ScanRead r) => r.Read(in record)))
        {
            partition = partitions[0];
            return false;
        }

        partition = partitions[FifoScanBatch.PartitionOf(read.GroupKey, partitions.Length)];
        return true;
    }

    // What the scan reads of a record, in place. The group key is SipHash-2-4 of the group id under the engine's
    // secret: no string per message, and group ids chosen to collide cannot pile groups onto one partition. Two
    // groups whose 64-bit keys did collide would share one order and one lock: stricter, never looser.
    private struct ScanRead(ulong key0, ulong key1)
    {
        public ulong GroupKey;
        public long Timestamp;
        public uint DelayMilliseconds;

        public void Read(in RecordView record)
        {
            GroupKey = SipHash24.Compute(key0, key1, record.GroupIdUtf8);
            Timestamp = record.Timestamp;
            DelayMilliseconds = record.DelayMilliseconds;
        }
    }
}
