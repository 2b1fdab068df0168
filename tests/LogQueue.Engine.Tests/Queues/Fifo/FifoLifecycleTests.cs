using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Fifo;

public class FifoLifecycleTests
{
    [Fact]
    public async Task The_queue_delay_holds_messages_back_in_order_and_counts_them_delayed()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo", attributes: ("DelaySeconds", "5"));
        await t.SendToGroupAsync("q.fifo", "a", "a1");
        t.AdvanceSeconds(2);
        await t.SendToGroupAsync("q.fifo", "a", "a2");

        Assert.Empty(await t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility));
        Assert.Equal((0, 0, 2), t.Counts("q.fifo"));

        t.AdvanceSeconds(3);
        Assert.Equal(["a1"], await t.ReceiveFifoBodiesAsync("q.fifo"));
        t.AdvanceSeconds(30);
        Assert.Equal(["a1", "a2"], await t.ReceiveFifoBodiesAsync("q.fifo"));
    }

    [Fact]
    public async Task A_long_poll_is_served_when_the_queue_delay_runs_out()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo", attributes: ("DelaySeconds", "5"));
        await t.SendToGroupAsync("q.fifo", "a", "a1");
        Task<IReadOnlyList<ReceivedMessage>> poll = t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility, TimeSpan.FromSeconds(20));
        Assert.False(poll.IsCompleted);

        t.AdvanceSeconds(5);

        Assert.Equal(["a1"], (await poll.WaitAsync(TestEngine.Bound)).Select(TestEngine.Body));
    }

    [Fact]
    public async Task Counts_follow_visible_in_flight_and_deleted_messages()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1", "a2", "a3");
        await t.SendToGroupAsync("q.fifo", "b", "b1", "b2");
        Assert.Equal((5, 0, 0), t.Counts("q.fifo"));

        ReceivedMessage a1 = Assert.Single(await t.ReceiveAsync("q.fifo", 1, FifoQueues.Visibility));
        Assert.Equal((4, 1, 0), t.Counts("q.fifo"));

        await t.DeleteAsync("q.fifo", a1);
        Assert.Equal((4, 0, 0), t.Counts("q.fifo"));
    }

    [Fact]
    public async Task Purge_forgets_groups_and_messages_in_flight_and_the_queue_goes_on_after_it()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1", "a2");
        ReceivedMessage a1 = Assert.Single(await t.ReceiveAsync("q.fifo", 1, FifoQueues.Visibility));

        await t.Engine.PurgeQueueAsync("q.fifo");

        Assert.Equal((0, 0, 0), t.Counts("q.fifo"));
        Assert.Empty(await t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility));
        await t.DeleteAsync("q.fifo", a1); // Deleted by the purge: the delete succeeds.
        await t.SendToGroupAsync("q.fifo", "a", "a3");
        Assert.Equal(["a3"], await t.ReceiveFifoBodiesAsync("q.fifo"));
    }

    [Fact]
    public async Task Messages_past_retention_leave_their_group_and_the_next_one_is_delivered()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo", attributes: ("MessageRetentionPeriod", "60"));
        await t.SendToGroupAsync("q.fifo", "a", "old");
        t.AdvanceSeconds(30);
        await t.SendToGroupAsync("q.fifo", "a", "young");
        t.AdvanceSeconds(30);

        Assert.Equal(["young"], await t.ReceiveFifoBodiesAsync("q.fifo"));
        Assert.Equal((0, 1, 0), t.Counts("q.fifo"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_a_restart_every_undeleted_message_is_visible_in_group_order_with_its_receive_count(bool highThroughput)
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo", highThroughput);
        await t.SendToGroupAsync("q.fifo", "a", "a1", "a2", "a3", "a4");
        IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q.fifo", 2, FifoQueues.Visibility);
        Assert.Equal(["a1", "a2"], got.Select(TestEngine.Body));
        await t.DeleteAsync("q.fifo", got[0]);
        await t.SendToGroupAsync("q.fifo", "b", "b1");

        await t.ReopenAsync();

        IReadOnlyList<ReceivedMessage> again = await t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility);
        Assert.Equal(["a2", "a3", "a4"], again.Where(m => m.MessageGroupId == "a").Select(TestEngine.Body));
        Assert.Equal([2, 1, 1], again.Where(m => m.MessageGroupId == "a").Select(m => m.ApproximateReceiveCount));
        Assert.Equal(["b1"], again.Where(m => m.MessageGroupId == "b").Select(TestEngine.Body));
    }

    [Fact]
    public async Task Receive_counts_written_into_a_journal_checkpoint_survive_a_restart()
    {
        await using TestEngine t = await TestEngine.OpenAsync(DurabilityMode.None);
        await t.CreateFifoAsync("q.fifo", highThroughput: true);
        for (int g = 0; g < 50; g++)
        {
            await t.SendToGroupAsync("q.fifo", $"g{g}", $"m{g}");
        }

        // The journal checkpoints after 100,000 entries: receive the 50 heads that often, in all.
        for (int round = 0; round < 2000; round++)
        {
            Assert.Equal(50, (await t.ReceiveAsync("q.fifo", 100, TimeSpan.Zero)).Count);
        }

        string checkpoint = Path.Combine(t.DataDirectory, "queues", "q.fifo", "state", Engine.Queues.Journal.QueueStateJournal.CheckpointFileName);
        Assert.True(await TestSupport.Poll.UntilAsync(() => File.Exists(checkpoint), beforeEachCheck: () => t.AdvanceSeconds(1)));

        await t.ReopenAsync();
        IReadOnlyList<ReceivedMessage> after = await t.ReceiveAsync("q.fifo", 100, FifoQueues.Visibility);
        Assert.Equal(50, after.Count);
        Assert.All(after, m => Assert.Equal(2001, m.ApproximateReceiveCount));
    }

    [Fact]
    public async Task A_receive_past_the_in_flight_limit_is_OverLimit_until_one_is_deleted()
    {
        await using TestEngine t = await TestEngine.OpenAsync(configure: o => o.MaxInFlightPerQueue = 2);
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1");
        await t.SendToGroupAsync("q.fifo", "b", "b1");
        await t.SendToGroupAsync("q.fifo", "c", "c1");
        IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility);
        Assert.Equal(["a1", "b1"], got.Select(TestEngine.Body));

        LogQueueException error = await Assert.ThrowsAsync<LogQueueException>(() => t.ReceiveAsync("q.fifo", 10, FifoQueues.Visibility));
        Assert.Equal(ErrorCode.OverLimit, error.Code);

        await t.DeleteAsync("q.fifo", got[0]);
        Assert.Equal(["c1"], await t.ReceiveFifoBodiesAsync("q.fifo"));
    }

    [Fact]
    public async Task A_change_of_throughput_mode_keeps_order_and_the_backlog_and_is_in_force_after_a_reopen()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1", "a2");

        await t.Engine.SetQueueAttributesAsync("q.fifo", new Dictionary<string, string> { ["DeduplicationScope"] = "messageGroup", ["FifoThroughputLimit"] = "perMessageGroupId" });
        await t.SendToGroupAsync("q.fifo", "a", "a3");
        Assert.Equal(["a1", "a2", "a3"], await t.ReceiveFifoBodiesAsync("q.fifo"));

        await t.ReopenAsync();
        Assert.Equal("perMessageGroupId", t.Engine.GetQueueAttributes("q.fifo", ["FifoThroughputLimit"])["FifoThroughputLimit"]);
        Assert.Equal(["a1", "a2", "a3"], await t.ReceiveFifoBodiesAsync("q.fifo"));
    }
}
