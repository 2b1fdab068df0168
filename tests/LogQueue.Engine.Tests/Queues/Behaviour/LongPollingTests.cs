using System.Diagnostics;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class LongPollingTests
{
    private static readonly TimeSpan Twenty = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_send_wakes_a_waiting_receive_at_once()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        Task<IReadOnlyList<ReceivedMessage>> waiting = t.ReceiveAsync("q", wait: Twenty);
        Assert.False(waiting.IsCompleted);

        await t.SendAsync("q", "m");

        // No clock movement: the send itself hands the message over.
        IReadOnlyList<ReceivedMessage> got = await waiting.WaitAsync(TestEngine.Bound);
        Assert.Equal("m", TestEngine.Body(Assert.Single(got)));
        Assert.Equal((0, 1, 0), t.Counts("q"));
    }

    [Fact]
    public async Task A_batch_send_wakes_a_waiting_receive_with_several_messages()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        Task<IReadOnlyList<ReceivedMessage>> waiting = t.ReceiveAsync("q", max: 10, wait: Twenty);
        await t.Engine.SendMessageBatchAsync("q", [("a", new SendMessageRequest("a"u8.ToArray())), ("b", new SendMessageRequest("b"u8.ToArray()))]);

        IReadOnlyList<ReceivedMessage> got = await waiting.WaitAsync(TestEngine.Bound);
        Assert.Equal(["a", "b"], got.Select(TestEngine.Body));
    }

    [Fact]
    public async Task A_woken_receive_applies_its_own_visibility_timeout()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        Task<IReadOnlyList<ReceivedMessage>> waiting = t.ReceiveAsync("q", 3, TimeSpan.FromSeconds(5), Twenty);
        await t.SendAsync("q", "m");
        Assert.Single(await waiting.WaitAsync(TestEngine.Bound));

        t.AdvanceSeconds(4.999);
        Assert.Empty(await t.ReceiveAsync("q"));
        t.AdvanceSeconds(0.001);
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task A_message_whose_visibility_timeout_runs_out_wakes_a_waiting_receive()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(10));

        Task<IReadOnlyList<ReceivedMessage>> waiting = t.ReceiveAsync("q", wait: Twenty);
        t.AdvanceSeconds(9);
        Assert.False(waiting.IsCompleted);
        t.AdvanceSeconds(1);

        ReceivedMessage again = Assert.Single(await waiting.WaitAsync(TestEngine.Bound));
        Assert.Equal(2, again.ApproximateReceiveCount);
    }

    [Fact]
    public async Task A_change_of_visibility_to_zero_wakes_a_waiting_receive()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage first = await t.ReceiveOneAsync("q");

        Task<IReadOnlyList<ReceivedMessage>> waiting = t.ReceiveAsync("q", wait: Twenty);
        t.Engine.ChangeMessageVisibility("q", first.ReceiptHandle, TimeSpan.Zero);

        Assert.Single(await waiting.WaitAsync(TestEngine.Bound));
    }

    [Fact]
    public async Task A_delay_running_out_wakes_a_waiting_receive()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "late", delay: TimeSpan.FromSeconds(5));

        Task<IReadOnlyList<ReceivedMessage>> waiting = t.ReceiveAsync("q", wait: Twenty);
        Assert.False(waiting.IsCompleted);
        t.AdvanceSeconds(5);

        Assert.Equal("late", TestEngine.Body(Assert.Single(await waiting.WaitAsync(TestEngine.Bound))));
    }

    [Fact]
    public async Task A_wait_that_times_out_returns_empty_at_its_deadline_and_not_before()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        Task<IReadOnlyList<ReceivedMessage>> waiting = t.ReceiveAsync("q", wait: TimeSpan.FromSeconds(5));

        t.AdvanceSeconds(4.999);
        Assert.False(waiting.IsCompleted);
        t.AdvanceSeconds(0.001);
        Assert.Empty(await waiting.WaitAsync(TestEngine.Bound));

        // A message sent after the timeout waits for the next receive.
        await t.SendAsync("q", "m");
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task The_queue_ReceiveMessageWaitTimeSeconds_makes_a_receive_wait()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q", ("ReceiveMessageWaitTimeSeconds", "3"));
        Task<IReadOnlyList<ReceivedMessage>> waiting = t.ReceiveAsync("q");
        Assert.False(waiting.IsCompleted);
        t.AdvanceSeconds(3);
        Assert.Empty(await waiting.WaitAsync(TestEngine.Bound));

        // A receive's own wait time of zero overrides the queue's and returns at once.
        Assert.Empty(await t.ReceiveAsync("q", wait: TimeSpan.Zero));
    }

    [Fact]
    public async Task Cancelling_a_waiting_receive_returns_empty_and_takes_nothing()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        using var cancel = new CancellationTokenSource();
        Task<IReadOnlyList<ReceivedMessage>> waiting = t.ReceiveAsync("q", wait: Twenty, cancellationToken: cancel.Token);
        Assert.False(waiting.IsCompleted);

        await cancel.CancelAsync();
        Assert.Empty(await waiting.WaitAsync(TestEngine.Bound));

        // The cancelled receive no longer waits: a later send goes to the next receive.
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q");
        Assert.Equal(1, message.ApproximateReceiveCount);
    }

    [Fact]
    public async Task A_receive_with_an_already_cancelled_token_returns_empty_and_takes_nothing()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");

        Assert.Empty(await t.ReceiveAsync("q", wait: Twenty, cancellationToken: new CancellationToken(canceled: true)));
        Assert.Empty(await t.ReceiveAsync("q", wait: TimeSpan.Zero, cancellationToken: new CancellationToken(canceled: true)));

        ReceivedMessage message = await t.ReceiveOneAsync("q");
        Assert.Equal(1, message.ApproximateReceiveCount);
    }

    [Fact]
    public async Task Waiters_are_served_in_the_order_they_arrived()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        Task<IReadOnlyList<ReceivedMessage>>[] waiters = [.. Enumerable.Range(0, 4).Select(_ => t.ReceiveAsync("q", max: 1, wait: Twenty))];

        for (int i = 0; i < waiters.Length; i++)
        {
            await t.SendAsync("q", "m" + i);
            IReadOnlyList<ReceivedMessage> got = await waiters[i].WaitAsync(TestEngine.Bound);
            Assert.Equal("m" + i, TestEngine.Body(Assert.Single(got)));
            Assert.All(waiters.Skip(i + 1), w => Assert.False(w.IsCompleted));
        }
    }

    [Fact]
    public async Task A_waiter_that_left_does_not_hold_up_the_ones_behind_it()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        using var cancel = new CancellationTokenSource();
        Task<IReadOnlyList<ReceivedMessage>> first = t.ReceiveAsync("q", max: 1, wait: Twenty, cancellationToken: cancel.Token);
        Task<IReadOnlyList<ReceivedMessage>> second = t.ReceiveAsync("q", max: 1, wait: Twenty);
        await cancel.CancelAsync();
        Assert.Empty(await first.WaitAsync(TestEngine.Bound));

        await t.SendAsync("q", "m");
        Assert.Single(await second.WaitAsync(TestEngine.Bound));
    }

    [Fact]
    public async Task Many_waiters_hold_no_thread_and_all_time_out_together()
    {
        await using TestEngine t = await TestEngine.OpenAsync(Engine.Log.DurabilityMode.None);
        await t.CreateQueueAsync("q");
        int threadsBefore = Process.GetCurrentProcess().Threads.Count;
        Task<IReadOnlyList<ReceivedMessage>>[] waiters = [.. Enumerable.Range(0, 2000).Select(_ => t.ReceiveAsync("q", max: 1, wait: Twenty))];

        Assert.All(waiters, w => Assert.False(w.IsCompleted));
        Assert.True(Process.GetCurrentProcess().Threads.Count < threadsBefore + 50, "waiting receives must not each hold a thread");

        t.Advance(Twenty);
        IReadOnlyList<ReceivedMessage>[] results = await Task.WhenAll(waiters).WaitAsync(TestEngine.Bound);
        Assert.All(results, Assert.Empty);
    }
}
