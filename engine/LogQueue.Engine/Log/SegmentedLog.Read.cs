using System.Diagnostics.CodeAnalysis;

namespace LogQueue.Engine.Log;

public sealed partial class SegmentedLog
{
    /// <summary>
    /// Reads the record at <paramref name="sequence"/> in place and hands it to <paramref name="visitor"/>:
    /// no byte is copied. Returns false when the sequence is not stored (removed, or not yet appended).
    /// </summary>
    public bool TryRead<TState>(long sequence, ref TState state, RecordVisitor<TState> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        if (!TryAcquireSegment(sequence, out LogSegment? segment))
        {
            return false;
        }

        try
        {
            visitor(RecordFormat.View(segment.RecordAt((int)(sequence - segment.BaseSequence))), ref state);
            return true;
        }
        finally
        {
            segment.Release();
        }
    }

    /// <summary>Reads the record at <paramref name="sequence"/> and copies it out.</summary>
    public bool TryRead(long sequence, [NotNullWhen(true)] out StoredRecord? record)
    {
        record = null;
        return TryRead(sequence, ref record, static (in RecordView view, ref StoredRecord? copy) => copy = view.ToStoredRecord());
    }

    /// <summary>
    /// Visits up to <paramref name="maxCount"/> consecutive records in place, starting at
    /// <paramref name="fromSequence"/> (or at <see cref="FirstSequence"/> if that is later), until the
    /// visitor returns false or the end of the log. Returns how many records were visited.
    /// </summary>
    public int ReadRange<TState>(long fromSequence, int maxCount, ref TState state, RecordRangeVisitor<TState> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        int visited = 0;
        long sequence = Math.Max(fromSequence, FirstSequence);
        while (visited < maxCount && TryAcquireSegment(sequence, out LogSegment? segment))
        {
            try
            {
                // Everything below NextSequence is indexed; the segment's count bounds a sealed one.
                long end = Math.Min(NextSequence, segment.BaseSequence + segment.Index.Count);
                for (; sequence < end && visited < maxCount; sequence++)
                {
                    visited++;
                    if (!visitor(RecordFormat.View(segment.RecordAt((int)(sequence - segment.BaseSequence))), ref state))
                    {
                        return visited;
                    }
                }
            }
            finally
            {
                segment.Release();
            }
        }

        return visited;
    }

    /// <summary>Copies out the records from <paramref name="fromSequence"/> to the end of the log as it is when each is reached.</summary>
    public IEnumerable<StoredRecord> ReadFrom(long fromSequence)
    {
        for (long sequence = Math.Max(fromSequence, FirstSequence); TryRead(sequence, out StoredRecord? record); sequence++)
        {
            yield return record;
        }
    }

    private bool TryAcquireSegment(long sequence, [NotNullWhen(true)] out LogSegment? segment)
    {
        while (true)
        {
            ThrowIfClosed();
            segment = null;

            // Rolls publish the new segment before the sequences in it, so reading the bound first
            // guarantees the segment array holds every sequence below it.
            if (sequence < 0 || sequence >= Volatile.Read(ref _nextSequence))
            {
                return false;
            }

            LogSegment[] segments = Volatile.Read(ref _segments);
            int index = FindSegment(segments, sequence);
            if (index < 0)
            {
                return false;
            }

            segment = segments[index];
            if (segment.TryAcquire())
            {
                return true;
            }

            // Removed (or closed) between the lookup and the acquire: look again, it is now below the first.
        }
    }

    private static int FindSegment(LogSegment[] segments, long sequence)
    {
        if (segments.Length == 0 || sequence < segments[0].BaseSequence)
        {
            return -1;
        }

        int low = 0, high = segments.Length - 1;
        if (sequence >= segments[high].BaseSequence)
        {
            return high;
        }

        while (low < high)
        {
            int middle = (low + high + 1) >>> 1;
            if (segments[middle].BaseSequence <= sequence)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }
}
