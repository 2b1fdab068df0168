using LogQueue.Engine.Queues.Journal;

namespace LogQueue.Engine.Queues.Fifo;

/// <summary>
/// The messages one stretch of the log scan met, handed to their partitions together: one lock per partition per
/// batch rather than one per message, so the scan of a backlog spread over many groups does not take a partition
/// lock (and miss its cache line) per message. The batch is sorted by partition with a stable counting sort, so
/// each partition receives its messages, and so each group its own, in sequence order. Used under the scan lock.
/// </summary>
internal sealed class FifoScanBatch(int partitionCount)
{
    /// <summary>Messages per batch: small enough to stay in cache, large enough to spread the locking.</summary>
    public const int Capacity = 256;

    private readonly long[] _sequences = new long[Capacity];
    private readonly ulong[] _keys = new ulong[Capacity];
    private readonly long[] _sortedSequences = new long[Capacity];
    private readonly ulong[] _sortedKeys = new ulong[Capacity];
    private readonly int[] _starts = new int[partitionCount + 1];

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    public void Add(ulong key, long sequence)
    {
        _keys[Count] = key;
        _sequences[Count] = sequence;
        Count++;
    }

    /// <summary>
    /// Appends the batch to its groups, with each message's receive state recovered from the journal (taken out of
    /// <paramref name="recovered"/>), and empties the batch.
    /// </summary>
    public void Distribute(FifoPartition[] partitions, Dictionary<long, ReceiveState> recovered)
    {
        if (partitions.Length == 1)
        {
            AppendRange(partitions[0], _keys, _sequences, 0, Count, recovered);
            Count = 0;
            return;
        }

        Array.Clear(_starts);
        for (int i = 0; i < Count; i++)
        {
            _starts[PartitionOf(_keys[i], partitions.Length) + 1]++;
        }

        for (int p = 1; p < _starts.Length; p++)
        {
            _starts[p] += _starts[p - 1];
        }

        // _starts[p] is now where partition p's run begins; filling moves each start to the run's end, which is
        // where the next partition's run begins.
        for (int i = 0; i < Count; i++)
        {
            int slot = _starts[PartitionOf(_keys[i], partitions.Length)]++;
            _sortedKeys[slot] = _keys[i];
            _sortedSequences[slot] = _sequences[i];
        }

        int start = 0;
        for (int p = 0; p < partitions.Length; p++)
        {
            int end = _starts[p];
            if (end > start)
            {
                AppendRange(partitions[p], _sortedKeys, _sortedSequences, start, end, recovered);
            }

            start = end;
        }

        Count = 0;
    }

    /// <summary>The partition of a group key.</summary>
    public static int PartitionOf(ulong key, int partitionCount) => (int)(key % (ulong)partitionCount);

    private static void AppendRange(FifoPartition partition, ulong[] keys, long[] sequences, int start, int end, Dictionary<long, ReceiveState> recovered)
    {
        lock (partition.Lock)
        {
            for (int i = start; i < end; i++)
            {
                partition.Append(keys[i], sequences[i]);
                if (recovered.Count > 0 && recovered.Remove(sequences[i], out ReceiveState state))
                {
                    partition.Receives[sequences[i]] = state;
                }
            }
        }
    }
}
