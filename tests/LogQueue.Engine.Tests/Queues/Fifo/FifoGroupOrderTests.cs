using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Fifo;

public class FifoGroupOrderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_group_with_a_message_in_flight_delivers_nothing_more_until_it_is_deleted(bool highThroughput)
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo", highThroughput);
        await t.SendToGroupAsync("q.fifo", "a", "a1", "a2");

        ReceivedMessage first = Assert.Single(await t.ReceiveAsync("q.fifo", 1, FifoQueues.Visibility));
        Assert.Equal("a1", TestEngine.Body(first));
        Assert.Empty(await t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility));

        await t.DeleteAsync("q.fifo", first);
        Assert.Equal(["a2"], await t.ReceiveFifoBodiesAsync("q.fifo"));
    }

    [Fact]
    public async Task One_receive_takes_consecutive_messages_of_a_group_and_messages_of_several_groups()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1", "a2", "a3");
        await t.SendToGroupAsync("q.fifo", "b", "b1");

        IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility);

        Assert.Equal(["a1", "a2", "a3", "b1"], got.Select(TestEngine.Body));
        Assert.Equal(["a", "a", "a", "b"], got.Select(m => m.MessageGroupId));
        Assert.All(got, m => Assert.NotNull(m.MessageDeduplicationId));
        Assert.Empty(await t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility));
    }

    [Fact]
    public async Task Sequence_numbers_rise_within_a_group_in_send_order()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        var sent = new List<long>();
        for (int i = 0; i < 5; i++)
        {
            sent.Add((await t.SendToGroupAsync("q.fifo", "a", $"a{i}")).SequenceNumber);
        }

        IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility);

        Assert.Equal(sent, got.Select(m => m.SequenceNumber));
    }

    [Fact]
    public async Task Ready_groups_are_served_round_robin_so_a_noisy_group_does_not_starve_the_others()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        for (int i = 0; i < 50; i++)
        {
            await t.SendToGroupAsync("q.fifo", "noisy", $"n{i}");
        }

        await t.SendToGroupAsync("q.fifo", "b", "b0", "b1");
        await t.SendToGroupAsync("q.fifo", "c", "c0", "c1");

        // One message per receive, deleted at once: each group gets one turn in three.
        var order = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            ReceivedMessage message = Assert.Single(await t.ReceiveAsync("q.fifo", 1, FifoQueues.Visibility));
            order.Add(TestEngine.Body(message));
            await t.DeleteAsync("q.fifo", message);
        }

        Assert.Equal(["n0", "b0", "c0", "n1", "b1", "c1"], order);
    }

    [Fact]
    public async Task Visibility_expiry_returns_the_head_of_the_group_first_with_the_rest_after_it()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1", "a2", "a3");
        Assert.Equal(["a1", "a2"], await t.ReceiveFifoBodiesAsync("q.fifo", 2, TimeSpan.FromSeconds(10)));

        t.AdvanceSeconds(10);
        IReadOnlyList<ReceivedMessage> again = await t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility);

        Assert.Equal(["a1", "a2", "a3"], again.Select(TestEngine.Body));
        Assert.Equal([2, 2, 1], again.Select(m => m.ApproximateReceiveCount));
    }

    [Fact]
    public async Task Changing_visibility_to_zero_returns_the_head_once_the_whole_group_is_out_of_flight()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1", "a2", "a3");
        IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q.fifo", 2, FifoQueues.Visibility);

        t.Engine.ChangeMessageVisibility("q.fifo", got[0].ReceiptHandle, TimeSpan.Zero);
        Assert.Empty(await t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility)); // a2 still holds the group.

        t.Engine.ChangeMessageVisibility("q.fifo", got[1].ReceiptHandle, TimeSpan.Zero);
        Assert.Equal(["a1", "a2", "a3"], await t.ReceiveFifoBodiesAsync("q.fifo"));
    }

    [Fact]
    public async Task Deleting_a_later_message_of_a_receive_keeps_the_group_locked_until_the_earlier_one_goes()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1", "a2", "a3");
        IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q.fifo", 2, FifoQueues.Visibility);

        await t.DeleteAsync("q.fifo", got[1]);
        Assert.Empty(await t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility));

        await t.DeleteAsync("q.fifo", got[0]);
        Assert.Equal(["a3"], await t.ReceiveFifoBodiesAsync("q.fifo"));
    }

    [Fact]
    public async Task A_handle_whose_visibility_ran_out_cannot_delete_the_message_back_at_the_head()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1");
        ReceivedMessage first = Assert.Single(await t.ReceiveAsync("q.fifo", 1, TimeSpan.FromSeconds(10)));
        t.AdvanceSeconds(10);

        LogQueueException error = await Assert.ThrowsAsync<LogQueueException>(() => t.DeleteAsync("q.fifo", first));

        Assert.Equal(ErrorCode.MessageNotInflight, error.Code);
        Assert.Equal(["a1"], await t.ReceiveFifoBodiesAsync("q.fifo"));
    }

    [Fact]
    public async Task A_long_poll_is_served_when_a_delete_unlocks_the_group()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1", "a2");
        ReceivedMessage first = Assert.Single(await t.ReceiveAsync("q.fifo", 1, FifoQueues.Visibility));

        Task<IReadOnlyList<ReceivedMessage>> poll = t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility, TimeSpan.FromSeconds(20));
        Assert.False(poll.IsCompleted);
        await t.DeleteAsync("q.fifo", first);

        Assert.Equal(["a2"], (await poll.WaitAsync(TestEngine.Bound)).Select(TestEngine.Body));
    }

    [Fact]
    public async Task A_long_poll_is_served_when_a_visibility_timeout_returns_the_head()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1");
        _ = await t.ReceiveAsync("q.fifo", 1, TimeSpan.FromSeconds(5));

        Task<IReadOnlyList<ReceivedMessage>> poll = t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility, TimeSpan.FromSeconds(20));
        t.AdvanceSeconds(5);

        ReceivedMessage again = Assert.Single(await poll.WaitAsync(TestEngine.Bound));
        Assert.Equal(("a1", 2), (TestEngine.Body(again), again.ApproximateReceiveCount));
    }
}
