namespace LogQueue.Bench.Load.Runs;

/// <summary>
/// Checks FIFO order: each producer sends its messages for a group one call after another, so their counters must
/// arrive in increasing order per (producer, group). Only first receipts are checked (a redelivery repeats an
/// earlier counter by design). Consumers observe from any thread; the last counter per pair only ever grows.
/// </summary>
internal sealed class GroupOrderTracker
{
    private readonly long[] _last;
    private readonly int _groups;
    private long _violations;

    public GroupOrderTracker(int producers, int groups)
    {
        _groups = groups;
        _last = new long[producers * groups];
        Array.Fill(_last, -1);
    }

    /// <summary>Messages that arrived after a later message of the same producer and group.</summary>
    public long Violations => Volatile.Read(ref _violations);

    /// <summary>Notes the first receipt of a producer's message in a group.</summary>
    public void Observe(int producer, int group, long counter)
    {
        ref long last = ref _last[(producer * _groups) + group];
        long seen = Volatile.Read(ref last);
        while (true)
        {
            if (counter < seen)
            {
                Interlocked.Increment(ref _violations);
                return;
            }

            long previous = Interlocked.CompareExchange(ref last, counter, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
