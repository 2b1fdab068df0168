using System.Diagnostics;
using LogQueue.Bench.Load.Options;
using LogQueue.Bench.Load.Runs;
using LogQueue.Client;

namespace LogQueue.Bench.Tests.Runs;

public class LoadContextTests
{
    [Fact]
    public void Without_a_message_budget_every_call_gets_what_it_asks_for()
    {
        LoadContext context = Context(new LoadOptions { Server = "h:1", Batch = 10 });
        context.Clock.Enter(RunPhase.Measure);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(10, context.TakeBudget(10, Stopwatch.GetTimestamp()));
        }
    }

    [Fact]
    public void The_budget_is_spent_per_call_and_the_last_call_gets_the_rest()
    {
        LoadContext context = Context(new LoadOptions { Server = "h:1", Messages = 25, Batch = 10 });
        context.Clock.Enter(RunPhase.Warmup);
        Assert.Equal(10, context.TakeBudget(10, Stopwatch.GetTimestamp())); // warm-up sends are free
        Assert.Equal(10, context.TakeBudget(10, Stopwatch.GetTimestamp()));

        context.Clock.Enter(RunPhase.Measure);
        Assert.Equal(10, context.TakeBudget(10, Stopwatch.GetTimestamp()));
        Assert.Equal(10, context.TakeBudget(10, Stopwatch.GetTimestamp()));
        Assert.Equal(5, context.TakeBudget(10, Stopwatch.GetTimestamp()));
        Assert.Equal(0, context.TakeBudget(10, Stopwatch.GetTimestamp()));
        Assert.Equal(0, context.TakeBudget(1, Stopwatch.GetTimestamp()));
    }

    [Fact]
    public void Concurrent_takers_spend_exactly_the_budget()
    {
        LoadContext context = Context(new LoadOptions { Server = "h:1", Messages = 100_003, Batch = 7 });
        context.Clock.Enter(RunPhase.Measure);
        long[] taken = new long[4];
        using var start = new Barrier(taken.Length);
        Thread[] threads = Enumerable.Range(0, taken.Length).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            int count;
            while ((count = context.TakeBudget(7, Stopwatch.GetTimestamp())) > 0)
            {
                taken[t] += count;
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

        Assert.Equal(100_003, taken.Sum());
    }

    [Fact]
    public void A_closed_loop_call_that_counts_in_the_window_is_charged_to_the_message_budget()
    {
        LoadContext context = Context(new LoadOptions { Server = "h:1", Messages = 10, Batch = 10 });
        context.Clock.Enter(RunPhase.Warmup);

        // A call stamped just after the window opened is charged; the budget then allows no more.
        context.Clock.Enter(RunPhase.Measure);
        long start = Stopwatch.GetTimestamp();
        int first = context.TakeBudget(10, start);
        int second = context.TakeBudget(10, Stopwatch.GetTimestamp());

        long measured = (context.Clock.InWindow(start) ? first : 0) + second;
        Assert.Equal(10, measured);
    }

    [Fact]
    public void An_open_loop_call_charged_to_the_message_budget_counts_in_the_window()
    {
        LoadContext context = Context(new LoadOptions { Server = "h:1", Messages = 10, Batch = 10, Rate = 1000 });
        context.Clock.Enter(RunPhase.Warmup);

        // The pacer's next call was due just before the window opened; it is started just after.
        long due = Stopwatch.GetTimestamp();
        context.Clock.Enter(RunPhase.Measure);
        int first = context.TakeBudget(10, due);
        int second = context.TakeBudget(10, Stopwatch.GetTimestamp());

        long measured = (context.Clock.InWindow(due) ? first : 0) + second;
        Assert.Equal(10, measured);
    }

    [Fact]
    public void A_call_that_found_the_window_not_yet_open_is_free_and_unmeasured_though_its_timestamp_falls_inside()
    {
        LoadContext context = Context(new LoadOptions { Server = "h:1", Messages = 10, Batch = 10 });
        context.Clock.Enter(RunPhase.Warmup);

        // The race the CI met: a producer reads its clock after the window's start was read but before it was published,
        // so its call is free (warm-up) yet stamped inside the window. It must not be measured, or 11 calls would be.
        long start = context.Clock.MeasureStart;
        Assert.Equal(long.MaxValue, start);
        long stamped = Stopwatch.GetTimestamp();
        int free = context.TakeBudget(10, stamped, out bool charged);
        Assert.Equal(10, free);
        Assert.False(charged);

        context.Clock.Enter(RunPhase.Measure);
        int measured = context.TakeBudget(10, Stopwatch.GetTimestamp(), out bool chargedInWindow);
        Assert.True(chargedInWindow);
        Assert.Equal(10, measured);
        Assert.Equal(0, context.TakeBudget(10, Stopwatch.GetTimestamp(), out _));
    }

    [Theory]
    [InlineData(1, 1, "q")]
    [InlineData(4, 2, "q-0 q-2|q-1 q-3")]
    [InlineData(3, 3, "q-0|q-1|q-2")]
    [InlineData(2, 5, "q-0|q-1|q-0|q-1|q-0")]
    [InlineData(5, 2, "q-0 q-2 q-4|q-1 q-3")]
    public void Workers_share_the_queues_so_that_each_queue_has_a_worker(int queues, int workers, string expected)
    {
        LoadContext context = Context(new LoadOptions { Server = "h:1", Queue = "q", Queues = queues });
        string actual = string.Join('|', Enumerable.Range(0, workers).Select(w => string.Join(' ', context.QueuesFor(w, workers))));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Fifo_messages_spread_over_every_group_and_a_producers_messages_of_one_group_keep_their_order()
    {
        LoadContext context = Context(new LoadOptions { Server = "h:1", Fifo = true, Groups = 5, Producers = 3 });
        Assert.NotNull(context.Order);
        for (int producer = 0; producer < 3; producer++)
        {
            string?[] groups = Enumerable.Range(0, 50).Select(c => context.GroupOf(producer, c)).ToArray();
            Assert.Equal(["g0", "g1", "g2", "g3", "g4"], groups.Distinct().Order());
            Assert.All(Enumerable.Range(0, 50), c => Assert.Equal("g" + context.GroupIndexOf(producer, c), groups[c]));
        }

        LoadContext standard = Context(new LoadOptions { Server = "h:1" });
        Assert.Null(standard.GroupOf(0, 0));
        Assert.Null(standard.Order);

        // An open loop overlaps a producer's calls, so it has no order to check.
        Assert.Null(Context(new LoadOptions { Server = "h:1", Fifo = true, Rate = 100 }).Order);
    }

    [Fact]
    public void Every_run_has_its_own_nonzero_id()
    {
        int[] ids = Enumerable.Range(0, 20).Select(_ => Context(new LoadOptions { Server = "h:1" }).RunId).ToArray();
        Assert.All(ids, id => Assert.True(id > 0));
        Assert.True(ids.Distinct().Count() > 1);
    }

    [Fact]
    public void A_failed_call_is_counted_unless_the_run_itself_was_aborted()
    {
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        var error = new LogQueueException(global::LogQueue.Protocol.ErrorCode.OverLimit, "too many");

        Assert.True(LoadContext.IsCallFailure(error, CancellationToken.None));
        Assert.True(LoadContext.IsCallFailure(new TimeoutException(), CancellationToken.None));
        Assert.True(LoadContext.IsCallFailure(new IOException(), CancellationToken.None));
        Assert.True(LoadContext.IsCallFailure(new OperationCanceledException(), CancellationToken.None));
        Assert.False(LoadContext.IsCallFailure(new OperationCanceledException(), aborted.Token));
        Assert.False(LoadContext.IsCallFailure(new InvalidOperationException(), CancellationToken.None));
        Assert.Equal("OverLimit", LoadContext.CodeOf(error));
        Assert.Equal("TimeoutException", LoadContext.CodeOf(new TimeoutException()));
    }

    private static LoadContext Context(LoadOptions options) =>
        new(options, null!, new TargetLimits(100, 1 << 20, "test"), CancellationToken.None, CancellationToken.None, CancellationToken.None);
}
