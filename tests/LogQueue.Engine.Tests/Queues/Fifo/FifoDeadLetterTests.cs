using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Fifo;

public class FifoDeadLetterTests
{
    private static async Task CreateWithDeadLetterQueueAsync(TestEngine t, int maxReceiveCount)
    {
        await t.CreateFifoAsync("dlq.fifo");
        await t.CreateFifoAsync("src.fifo", attributes: ("RedrivePolicy", DeadLetterQueueTests.Policy("dlq.fifo", maxReceiveCount)));
    }

    [Fact]
    public async Task The_head_over_maxReceiveCount_moves_with_its_group_and_the_group_goes_on_in_order()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await CreateWithDeadLetterQueueAsync(t, 2);
        await t.SendToGroupAsync("src.fifo", "a", "poison", "a2", "a3");

        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(["poison"], await t.ReceiveFifoBodiesAsync("src.fifo", 1, TimeSpan.FromSeconds(10)));
            t.AdvanceSeconds(10);
        }

        // This receive moves the head (and waits for the move), then the group continues with its next message.
        Assert.Empty(await t.ReceiveAsync("src.fifo", 1, FifoQueues.Visibility));
        Assert.Equal(["a2", "a3"], await t.ReceiveFifoBodiesAsync("src.fifo"));

        ReceivedMessage dead = Assert.Single(await t.ReceiveAsync("dlq.fifo", 10, FifoQueues.Visibility));
        Assert.Equal(("poison", "a", "src.fifo"), (TestEngine.Body(dead), dead.MessageGroupId, dead.DeadLetterSourceQueue));
        Assert.NotNull(dead.MessageDeduplicationId);
    }

    [Fact]
    public async Task Other_groups_are_served_by_the_receive_that_moves_a_head()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await CreateWithDeadLetterQueueAsync(t, 1);
        await t.SendToGroupAsync("src.fifo", "a", "poison");
        await t.SendToGroupAsync("src.fifo", "b", "b1");
        Assert.Equal(["poison"], await t.ReceiveFifoBodiesAsync("src.fifo", 1, TimeSpan.FromSeconds(10)));
        t.AdvanceSeconds(10);

        Assert.Equal(["b1"], await t.ReceiveFifoBodiesAsync("src.fifo"));
        Assert.Equal((1, 0, 0), t.Counts("dlq.fifo"));
    }

    [Fact]
    public async Task Several_dead_letters_of_a_group_arrive_in_the_dead_letter_queue_in_group_order()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await CreateWithDeadLetterQueueAsync(t, 1);
        await t.SendToGroupAsync("src.fifo", "a", "a1", "a2", "a3");
        Assert.Equal(["a1", "a2", "a3"], await t.ReceiveFifoBodiesAsync("src.fifo", 10, TimeSpan.FromSeconds(10)));
        t.AdvanceSeconds(10);

        for (int i = 0; i < 3; i++)
        {
            Assert.Empty(await t.ReceiveAsync("src.fifo", 10, FifoQueues.Visibility));
        }

        Assert.Equal(["a1", "a2", "a3"], await t.ReceiveFifoBodiesAsync("dlq.fifo"));
        Assert.Equal((0, 0, 0), t.Counts("src.fifo"));
    }

    [Fact]
    public async Task A_move_task_redrives_fifo_dead_letters_back_to_their_source_in_group_order()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await CreateWithDeadLetterQueueAsync(t, 1);
        await t.SendToGroupAsync("src.fifo", "a", "a1", "a2");
        Assert.Equal(2, (await t.ReceiveAsync("src.fifo", 10, TimeSpan.FromSeconds(10))).Count);
        t.AdvanceSeconds(10);
        Assert.Empty(await t.ReceiveAsync("src.fifo", 10, FifoQueues.Visibility));
        Assert.Empty(await t.ReceiveAsync("src.fifo", 10, FifoQueues.Visibility));
        Assert.Equal((2, 0, 0), t.Counts("dlq.fifo"));

        string handle = t.Engine.StartMessageMoveTask("dlq.fifo");
        await t.Engine.WaitForMoveTaskAsync(handle).WaitAsync(TestEngine.Bound);

        IReadOnlyList<ReceivedMessage> back = await t.ReceiveAsync("src.fifo", 10, FifoQueues.Visibility);
        Assert.Equal(["a1", "a2"], back.Select(TestEngine.Body));
        Assert.All(back, m => Assert.Equal("a", m.MessageGroupId));
        Assert.Equal((0, 0, 0), t.Counts("dlq.fifo"));
    }
}
