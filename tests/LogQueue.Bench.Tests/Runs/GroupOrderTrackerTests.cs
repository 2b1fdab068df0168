using LogQueue.Bench.Load.Runs;

namespace LogQueue.Bench.Tests.Runs;

public class GroupOrderTrackerTests
{
    [Fact]
    public void Increasing_counters_per_producer_and_group_are_in_order()
    {
        var tracker = new GroupOrderTracker(producers: 2, groups: 3);
        tracker.Observe(0, 0, 0);
        tracker.Observe(0, 0, 3);
        tracker.Observe(0, 1, 1);
        tracker.Observe(1, 0, 0); // another producer's group 0 has its own order
        tracker.Observe(0, 0, 10); // gaps are fine (other groups' counters)
        tracker.Observe(1, 2, 5);
        Assert.Equal(0, tracker.Violations);
    }

    [Fact]
    public void A_counter_below_the_last_seen_of_its_group_is_a_violation()
    {
        var tracker = new GroupOrderTracker(producers: 2, groups: 2);
        tracker.Observe(1, 1, 9);
        tracker.Observe(1, 1, 4);
        Assert.Equal(1, tracker.Violations);

        tracker.Observe(1, 1, 5); // still below 9
        Assert.Equal(2, tracker.Violations);

        tracker.Observe(1, 1, 10);
        tracker.Observe(0, 1, 4); // producer 0's group 1 is separate
        tracker.Observe(1, 0, 0); // so is producer 1's group 0
        Assert.Equal(2, tracker.Violations);
    }

    [Fact]
    public void Concurrent_observers_of_their_own_groups_see_no_violations_and_count_real_ones_exactly()
    {
        const int threads = 4;
        const int groups = 8;
        var tracker = new GroupOrderTracker(producers: 1, groups: groups);
        using var start = new Barrier(threads);
        Thread[] observers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (long counter = 0; counter < 20_000; counter++)
            {
                // Thread t owns groups t and t + 4; every thousandth counter it also reports one from the past.
                int group = t + (threads * (int)(counter % 2));
                tracker.Observe(0, group, counter * 10);
                if (counter % 1000 == 999)
                {
                    tracker.Observe(0, group, 0);
                }
            }
        })).ToArray();
        foreach (Thread thread in observers)
        {
            thread.Start();
        }

        foreach (Thread thread in observers)
        {
            thread.Join();
        }

        Assert.Equal(threads * 20, tracker.Violations);
    }

    [Fact]
    public void Concurrent_observers_of_one_group_never_move_its_last_counter_backwards()
    {
        // Two threads race on one group with interleaved counters: every observation either raises the last
        // counter or is counted, and the highest counter always wins the race.
        var tracker = new GroupOrderTracker(producers: 1, groups: 1);
        using var start = new Barrier(2);
        Thread[] threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (long i = 0; i < 50_000; i++)
            {
                tracker.Observe(0, 0, (i * 2) + t);
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        long before = tracker.Violations;
        tracker.Observe(0, 0, 99_999); // the largest counter either thread sent
        tracker.Observe(0, 0, 99_998);
        Assert.Equal(before + 1, tracker.Violations);
    }
}
