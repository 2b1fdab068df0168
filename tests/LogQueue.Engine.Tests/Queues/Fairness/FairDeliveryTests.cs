using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Fairness;

/// <summary>
/// Fair delivery loses nothing and strands nothing: grouped messages the cursor has indexed still go through
/// visibility timeouts, delays, retention, purges and restarts like any other message.
/// </summary>
public class FairDeliveryTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_grouped_message_whose_visibility_runs_out_is_its_groups_next_message()
    {
        await using TestEngine t = await TestEngine.OpenAsync(DurabilityMode.None);
        await t.CreateQueueAsync("q");
        await GroupedSends.SendAsync(t, "q", "A", 50, "a");
        await GroupedSends.SendAsync(t, "q", "B", 50, "b");

        ReceivedMessage first = await t.ReceiveOneAsync("q", TimeSpan.FromSeconds(10));
        Assert.Equal("a0", TestEngine.Body(first));
        t.AdvanceSeconds(10);

        // It rejoins A at the front, not behind A's backlog, and A's turn in the round is where it comes out.
        IReadOnlyList<ReceivedMessage> next = await t.ReceiveAsync("q", 4, Long);
        ReceivedMessage again = Assert.Single(next, m => m.MessageGroupId == "A" && m.ApproximateReceiveCount == 2);
        Assert.Equal(first.SequenceNumber, again.SequenceNumber);
        Assert.Equal(2, next.Count(m => m.MessageGroupId == "A"));
        Assert.Equal(2, next.Count(m => m.MessageGroupId == "B"));
    }

    [Fact]
    public async Task Grouped_and_ungrouped_messages_received_and_not_deleted_all_come_back_and_nothing_is_lost()
    {
        await using TestEngine t = await TestEngine.OpenAsync(DurabilityMode.None);
        await t.CreateQueueAsync("q", ("VisibilityTimeout", "30"));
        await GroupedSends.SendAsync(t, "q", "A", 200, "a");
        await GroupedSends.SendAsync(t, "q", null, 40, "u");
        await GroupedSends.SendAsync(t, "q", "B", 40, "b");

        // Take half, delete none: they return after 30 s, into their groups or (ungrouped) first.
        for (int i = 0; i < 14; i++)
        {
            Assert.Equal(10, (await t.ReceiveAsync("q", 10)).Count);
        }

        t.AdvanceSeconds(30);
        List<ReceivedMessage> all = await GroupedSends.DrainAsync(t, "q");
        Assert.Equal(280, all.Count);
        Assert.Equal(280, all.Select(m => m.SequenceNumber).Distinct().Count());
        Assert.Equal(140, all.Count(m => m.ApproximateReceiveCount == 2));
        Assert.Equal((0L, 0L, 0L), t.Counts("q"));
    }

    [Fact]
    public async Task An_ungrouped_queue_finds_a_visible_message_behind_more_expired_records_than_one_scan_ahead()
    {
        // The scan-ahead bound (1,024 reads) is for yielding to lanes; with no group there is nothing to yield
        // to, and stopping there returned nothing while "fresh" was visible.
        await using TestEngine t = await TestEngine.OpenAsync(DurabilityMode.None);
        await t.CreateQueueAsync("q", ("MessageRetentionPeriod", "60"));
        await GroupedSends.SendAsync(t, "q", null, 1_100, "old");
        t.AdvanceSeconds(61);
        await t.SendAsync("q", "fresh");

        Assert.Equal(["fresh"], await t.ReceiveBodiesAsync("q", 10, Long));
    }

    [Fact]
    public async Task Delayed_grouped_messages_are_served_fairly_once_their_delay_ends()
    {
        await using TestEngine t = await TestEngine.OpenAsync(DurabilityMode.None);
        await t.CreateQueueAsync("q");
        await GroupedSends.SendAsync(t, "q", "A", 100, "a", TimeSpan.FromSeconds(5));
        await GroupedSends.SendAsync(t, "q", "B", 2, "b", TimeSpan.FromSeconds(5));
        Assert.Empty(await t.ReceiveAsync("q"));

        t.AdvanceSeconds(5);

        // All 102 became visible at once; B's two are among the first four, not behind A's hundred.
        IReadOnlyList<ReceivedMessage> first = await t.ReceiveAsync("q", 4, Long);
        Assert.Equal(2, first.Count(m => m.MessageGroupId == "B"));
        List<ReceivedMessage> rest = await GroupedSends.DrainAsync(t, "q");
        Assert.Equal(98, rest.Count);
        Assert.All(rest, m => Assert.Equal("A", m.MessageGroupId));
    }

    [Fact]
    public async Task Indexed_grouped_messages_past_retention_are_deleted_not_delivered()
    {
        await using TestEngine t = await TestEngine.OpenAsync(DurabilityMode.None);
        await t.CreateQueueAsync("q", ("MessageRetentionPeriod", "60"));
        await GroupedSends.SendAsync(t, "q", "A", 100, "a");
        await GroupedSends.SendAsync(t, "q", "B", 100, "b");

        // The first receive indexes all 200; then they expire in their lanes.
        Assert.Single(await t.ReceiveAsync("q", 1, Long));
        t.AdvanceSeconds(30);
        await GroupedSends.SendAsync(t, "q", "C", 5, "c");
        t.AdvanceSeconds(30);

        List<ReceivedMessage> all = await GroupedSends.DrainAsync(t, "q");
        Assert.Equal(["c0", "c1", "c2", "c3", "c4"], all.Select(TestEngine.Body));

        // The one received at first is in flight, also past retention: the housekeeping that the clock's advance set
        // off (on the thread pool) may already have expired it, so only what is visible or delayed is certain.
        (long visible, long notVisible, long delayed) = t.Counts("q");
        Assert.Equal((0L, 0L), (visible, delayed));
        Assert.InRange(notVisible, 0L, 1L);
    }

    [Fact]
    public async Task A_purge_empties_the_groups_and_later_messages_are_served()
    {
        await using TestEngine t = await TestEngine.OpenAsync(DurabilityMode.None);
        await t.CreateQueueAsync("q");
        await GroupedSends.SendAsync(t, "q", "A", 100, "a");
        await GroupedSends.SendAsync(t, "q", "B", 100, "b");
        Assert.Equal(10, (await t.ReceiveAsync("q", 10, Long)).Count);

        await t.Engine.PurgeQueueAsync("q");
        await GroupedSends.SendAsync(t, "q", "A", 3, "x");
        await GroupedSends.SendAsync(t, "q", "B", 3, "y");

        List<ReceivedMessage> all = await GroupedSends.DrainAsync(t, "q");
        Assert.Equal(["x0", "x1", "x2", "y0", "y1", "y2"], all.Select(TestEngine.Body).Order());
    }

    [Theory]
    [InlineData(DurabilityMode.Always)]
    [InlineData(DurabilityMode.None)]
    public async Task After_a_restart_every_grouped_message_not_deleted_is_delivered(DurabilityMode durability)
    {
        await using TestEngine t = await TestEngine.OpenAsync(durability);
        await t.CreateQueueAsync("q");
        await GroupedSends.SendAsync(t, "q", "A", 150, "a");
        await GroupedSends.SendAsync(t, "q", null, 20, "u");
        await GroupedSends.SendAsync(t, "q", "B", 30, "b");

        // Delete 40 (the lanes hold the rest, indexed), then reopen: the index is memory and is built again.
        var deleted = new HashSet<long>();
        for (int i = 0; i < 4; i++)
        {
            IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q", 10, Long);
            await t.Engine.DeleteMessageBatchAsync("q", [.. got.Select((m, j) => (j.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ReceiptHandle))]);
            deleted.UnionWith(got.Select(m => m.SequenceNumber));
        }

        await t.ReopenAsync();
        List<ReceivedMessage> rest = await GroupedSends.DrainAsync(t, "q");
        Assert.Equal(160, rest.Count);
        Assert.DoesNotContain(rest, m => deleted.Contains(m.SequenceNumber));
        Assert.Equal(160, rest.Select(m => m.SequenceNumber).Distinct().Count());
    }

    [Fact]
    public async Task Grouped_messages_over_maxReceiveCount_move_to_the_dead_letter_queue_with_their_group()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await DeadLetterQueueTests.CreateWithDeadLetterQueueAsync(t, maxReceiveCount: 1);
        await GroupedSends.SendAsync(t, "src", "A", 8, "a");
        await GroupedSends.SendAsync(t, "src", "B", 2, "b");

        Assert.Equal(10, (await t.ReceiveAsync("src", 10, TimeSpan.FromSeconds(10))).Count);
        t.AdvanceSeconds(10);

        // Visible again, they rejoin their groups; the next receive finds them over the limit and moves them.
        Assert.Empty(await t.ReceiveAsync("src", 10));
        Assert.Equal((0L, 0L, 0L), t.Counts("src"));
        List<ReceivedMessage> moved = await GroupedSends.DrainAsync(t, "dlq");
        Assert.Equal(8, moved.Count(m => m.MessageGroupId == "A"));
        Assert.Equal(2, moved.Count(m => m.MessageGroupId == "B"));
    }
}
