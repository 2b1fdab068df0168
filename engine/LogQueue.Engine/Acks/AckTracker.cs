using System.Numerics;

namespace LogQueue.Engine.Acks;

/// <summary>
/// Which sequences of a queue's log are deleted (acknowledged): a floor below which everything is
/// deleted, plus one bit per sequence above it, in pages of <see cref="PageBits"/> sequences. As in
/// Pulsar's cursor, the floor moves up over every run of deleted sequences, and pages it passes are
/// freed, so a queue consumed in order keeps at most one page. Out-of-order deletes cost one bit each;
/// a backlog of N messages with holes costs at most N/8 bytes.
/// </summary>
public sealed class AckTracker
{
    /// <summary>Sequences per bitmap page (512 bytes of bits).</summary>
    public const int PageBits = 4096;

    private const int WordsPerPage = PageBits / 64;
    private readonly Dictionary<long, ulong[]> _pages = [];
    private long _floor;
    private long _deletedAboveFloor;

    /// <summary>Creates a tracker in which every sequence below <paramref name="floor"/> is deleted.</summary>
    public AckTracker(long floor = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(floor);
        _floor = floor;
    }

    /// <summary>The lowest sequence not deleted (the low watermark); everything below it is deleted.</summary>
    public long Floor => _floor;

    /// <summary>Deleted sequences at or above the floor.</summary>
    public long DeletedAboveFloor => _deletedAboveFloor;

    /// <summary>Bitmap pages in memory.</summary>
    public int PageCount => _pages.Count;

    /// <summary>True when <paramref name="sequence"/> is deleted.</summary>
    public bool IsDeleted(long sequence)
    {
        if (sequence < _floor)
        {
            return true;
        }

        return _pages.TryGetValue(sequence / PageBits, out ulong[]? page)
            && (page[(int)(sequence % PageBits) >> 6] & (1UL << (int)(sequence & 63))) != 0;
    }

    /// <summary>Marks one sequence deleted. Returns false when it already was.</summary>
    public bool MarkDeleted(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        if (sequence < _floor)
        {
            return false;
        }

        long pageIndex = sequence / PageBits;
        if (!_pages.TryGetValue(pageIndex, out ulong[]? page))
        {
            page = new ulong[WordsPerPage];
            _pages.Add(pageIndex, page);
        }

        int word = (int)(sequence % PageBits) >> 6;
        ulong bit = 1UL << (int)(sequence & 63);
        if ((page[word] & bit) != 0)
        {
            return false;
        }

        page[word] |= bit;
        _deletedAboveFloor++;
        if (sequence == _floor)
        {
            AdvanceFloor();
        }

        return true;
    }

    /// <summary>Marks every sequence in [<paramref name="start"/>, <paramref name="end"/>) deleted. Returns how many were not already.</summary>
    public long MarkDeleted(long start, long end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        if (end <= _floor || end <= start)
        {
            return 0;
        }

        if (start <= _floor)
        {
            // The common case of a purge or a replayed range: move the floor and free what it passes.
            long alreadyDeleted = CountDeleted(_floor, end);
            long marked = end - _floor - alreadyDeleted;
            _deletedAboveFloor -= alreadyDeleted;
            MoveFloor(end);
            AdvanceFloor();
            return marked;
        }

        long count = 0;
        for (long sequence = start; sequence < end; sequence++)
        {
            if (MarkDeleted(sequence))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The first sequence at or after <paramref name="from"/> that is not deleted.</summary>
    public long NextUndeleted(long from)
    {
        long sequence = Math.Max(from, _floor);
        while (true)
        {
            if (!_pages.TryGetValue(sequence / PageBits, out ulong[]? page))
            {
                return sequence;
            }

            int bitInPage = (int)(sequence % PageBits);
            for (int word = bitInPage >> 6; word < WordsPerPage; word++)
            {
                ulong free = ~page[word];
                if (word == bitInPage >> 6)
                {
                    free &= ulong.MaxValue << (bitInPage & 63);
                }

                if (free != 0)
                {
                    return (sequence - bitInPage) + (word << 6) + BitOperations.TrailingZeroCount(free);
                }
            }

            sequence += PageBits - bitInPage;
        }
    }

    /// <summary>How many sequences in [<paramref name="start"/>, <paramref name="end"/>) are deleted.</summary>
    public long CountDeleted(long start, long end)
    {
        long count = 0;
        if (start < _floor)
        {
            count += Math.Min(end, _floor) - start;
            start = _floor;
        }

        for (long sequence = start; sequence < end;)
        {
            long pageIndex = sequence / PageBits;
            long pageEnd = Math.Min(end, (pageIndex + 1) * PageBits);
            if (_pages.TryGetValue(pageIndex, out ulong[]? page))
            {
                for (long s = sequence; s < pageEnd;)
                {
                    int bit = (int)(s % PageBits);
                    int take = (int)Math.Min(64 - (bit & 63), pageEnd - s);
                    ulong mask = take == 64 ? ulong.MaxValue : ((1UL << take) - 1) << (bit & 63);
                    count += BitOperations.PopCount(page[bit >> 6] & mask);
                    s += take;
                }
            }

            sequence = pageEnd;
        }

        return count;
    }

    /// <summary>
    /// The deleted sequences at or above the floor, as maximal half-open ranges in order (for a checkpoint).
    /// Scans a word (64 sequences) at a time; runs that cross page boundaries come out joined.
    /// </summary>
    public List<(long Start, long End)> DeletedRanges()
    {
        var ranges = new List<(long Start, long End)>();
        foreach (long pageIndex in _pages.Keys.Order())
        {
            ulong[] page = _pages[pageIndex];
            for (int word = 0; word < WordsPerPage; word++)
            {
                ulong bits = page[word];
                long wordBase = (pageIndex * PageBits) + (word << 6);
                while (bits != 0)
                {
                    int first = BitOperations.TrailingZeroCount(bits);
                    int run = BitOperations.TrailingZeroCount(~(bits >> first));
                    run = Math.Min(run, 64 - first);
                    AddRun(ranges, Math.Max(_floor, wordBase + first), wordBase + first + run);
                    bits = first + run >= 64 ? 0 : bits & (ulong.MaxValue << (first + run));
                }
            }
        }

        return ranges;
    }

    private static void AddRun(List<(long Start, long End)> ranges, long start, long end)
    {
        if (start >= end)
        {
            return; // Wholly below the floor.
        }

        if (ranges.Count > 0 && ranges[^1].End == start)
        {
            ranges[^1] = (ranges[^1].Start, end);
        }
        else
        {
            ranges.Add((start, end));
        }
    }

    // Moves the floor over the run of deleted sequences that starts at it.
    private void AdvanceFloor()
    {
        long next = NextUndeleted(_floor);
        if (next != _floor)
        {
            _deletedAboveFloor -= next - _floor;
            MoveFloor(next);
        }
    }

    // Sets the floor and frees the pages that now lie wholly below it.
    private void MoveFloor(long newFloor)
    {
        long firstPage = _floor / PageBits;
        long endPage = newFloor / PageBits;
        _floor = newFloor;
        if (endPage - firstPage <= _pages.Count)
        {
            for (long pageIndex = firstPage; pageIndex < endPage; pageIndex++)
            {
                _pages.Remove(pageIndex);
            }

            return;
        }

        foreach (long pageIndex in _pages.Keys.Where(p => p < endPage).ToList())
        {
            _pages.Remove(pageIndex);
        }
    }
}
