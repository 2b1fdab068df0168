using LogQueue.Bench.Load.Runs;

namespace LogQueue.Bench.Tests.Runs;

public class ConcurrentBitSetTests
{
    [Fact]
    public void Add_returns_false_for_a_number_already_there()
    {
        var set = new ConcurrentBitSet();
        Assert.True(set.Add(5));
        Assert.False(set.Add(5));
        Assert.True(set.Add(6));
        Assert.True(set.Contains(5));
        Assert.True(set.Contains(6));
        Assert.False(set.Contains(7));
        Assert.Equal(2, set.Count());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(63L)]
    [InlineData(64L)]
    [InlineData(65_535L)]
    [InlineData(65_536L)]
    [InlineData(ConcurrentBitSet.Capacity - 1)]
    public void Holds_numbers_at_word_and_chunk_boundaries(long value)
    {
        var set = new ConcurrentBitSet();
        Assert.False(set.Contains(value));
        Assert.True(set.Add(value));
        Assert.True(set.Contains(value));
        Assert.False(set.Contains(value - 1));
        Assert.False(set.Contains(value + 1));
        Assert.Equal(1, set.Count());
        Assert.Equal([value], set.ListNotIn(new ConcurrentBitSet(), 10));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(ConcurrentBitSet.Capacity)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Refuses_numbers_outside_its_capacity_and_never_contains_them(long value)
    {
        var set = new ConcurrentBitSet();
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Add(value));
        Assert.False(set.Contains(value));
    }

    [Fact]
    public void Counts_and_lists_the_numbers_not_in_another_set()
    {
        var acknowledged = new ConcurrentBitSet();
        var received = new ConcurrentBitSet();
        for (long i = 0; i < 200_000; i++)
        {
            acknowledged.Add(i);
            if (i % 1000 != 7)
            {
                received.Add(i);
            }
        }

        received.Add(500_000); // only in the other set: not counted

        Assert.Equal(200, acknowledged.CountNotIn(received));
        Assert.Equal(1, received.CountNotIn(acknowledged));
        Assert.Equal([7L, 1007L, 2007L], acknowledged.ListNotIn(received, 3));
        Assert.Equal(200, acknowledged.ListNotIn(received, 1_000).Count);
        Assert.Equal(199_007L, acknowledged.ListNotIn(received, 1_000)[^1]);
        Assert.Empty(acknowledged.ListNotIn(received, 0));
        Assert.Equal([500_000L], received.ListNotIn(acknowledged, 10));
        Assert.Equal(0, acknowledged.CountNotIn(acknowledged));
    }

    [Fact]
    public void An_empty_set_has_nothing_to_count_or_list()
    {
        var empty = new ConcurrentBitSet();
        var other = new ConcurrentBitSet();
        other.Add(1);
        Assert.Equal(0, empty.Count());
        Assert.Equal(0, empty.CountNotIn(other));
        Assert.Empty(empty.ListNotIn(other, 10));
        Assert.Equal(1, other.CountNotIn(empty));
    }

    [Fact]
    public void Concurrent_adds_of_overlapping_ranges_count_every_number_once()
    {
        // Eight threads each add 100,000 numbers, each range overlapping the next by half and crossing chunk
        // boundaries, all starting at once: exactly one Add per number returns true.
        const int threads = 8;
        const int length = 100_000;
        const int stride = length / 2;
        var set = new ConcurrentBitSet();
        long[] firstAdds = new long[threads];
        using var start = new Barrier(threads);
        Thread[] workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            long first = 0;
            for (long i = t * stride; i < (t * stride) + length; i++)
            {
                if (set.Add(i))
                {
                    first++;
                }
            }

            firstAdds[t] = first;
        })).ToArray();

        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        long distinct = ((threads - 1) * (long)stride) + length;
        Assert.Equal(distinct, firstAdds.Sum());
        Assert.Equal(distinct, set.Count());
        Assert.Equal((threads * (long)length) - distinct, (threads * (long)length) - firstAdds.Sum());
        for (long i = 0; i < distinct; i++)
        {
            Assert.True(set.Contains(i));
        }

        Assert.False(set.Contains(distinct));
    }
}
