namespace LogQueue.Bench.Load.Runs;

/// <summary>
/// Which messages were acknowledged and which were received, per producer and counter, so a run can tell lost
/// messages (acknowledged, never received by the end of the drain) from duplicates (received more than once) and
/// from messages received although their send failed (a send can take effect and still report a lost connection).
/// Producers and consumers mark it from any thread at once.
/// </summary>
internal sealed class DeliveryLedger
{
    private readonly ConcurrentBitSet[] _acknowledged;
    private readonly ConcurrentBitSet[] _received;
    private long _duplicates;

    /// <summary>A ledger for producers 0 to <paramref name="producers"/> - 1.</summary>
    public DeliveryLedger(int producers)
    {
        _acknowledged = new ConcurrentBitSet[producers];
        _received = new ConcurrentBitSet[producers];
        for (int i = 0; i < producers; i++)
        {
            _acknowledged[i] = new ConcurrentBitSet();
            _received[i] = new ConcurrentBitSet();
        }
    }

    /// <summary>Receipts of a message already received.</summary>
    public long Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>True when <paramref name="producer"/> is one of this run's.</summary>
    public bool Knows(int producer) => (uint)producer < (uint)_acknowledged.Length;

    /// <summary>Notes that the server acknowledged a send.</summary>
    public void Acknowledged(int producer, long counter) => _acknowledged[producer].Add(counter);

    /// <summary>Notes a receipt; false (and one more duplicate) when the message was received before.</summary>
    public bool Received(int producer, long counter)
    {
        if (_received[producer].Add(counter))
        {
            return true;
        }

        Interlocked.Increment(ref _duplicates);
        return false;
    }

    /// <summary>Acknowledged sends.</summary>
    public long AcknowledgedCount() => _acknowledged.Sum(set => set.Count());

    /// <summary>Distinct messages received.</summary>
    public long ReceivedCount() => _received.Sum(set => set.Count());

    /// <summary>Acknowledged but not (yet) received.</summary>
    public long Missing()
    {
        long missing = 0;
        for (int i = 0; i < _acknowledged.Length; i++)
        {
            missing += _acknowledged[i].CountNotIn(_received[i]);
        }

        return missing;
    }

    /// <summary>Received although the send was never acknowledged.</summary>
    public long ReceivedUnacknowledged()
    {
        long count = 0;
        for (int i = 0; i < _received.Length; i++)
        {
            count += _received[i].CountNotIn(_acknowledged[i]);
        }

        return count;
    }

    /// <summary>Up to <paramref name="limit"/> missing messages as producer/counter, for the report.</summary>
    public IReadOnlyList<string> SampleMissing(int limit)
    {
        var sample = new List<string>();
        for (int i = 0; i < _acknowledged.Length && sample.Count < limit; i++)
        {
            foreach (long counter in _acknowledged[i].ListNotIn(_received[i], limit - sample.Count))
            {
                sample.Add(FormattableString.Invariant($"{i}/{counter}"));
            }
        }

        return sample;
    }
}
