using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Fairness;

/// <summary>
/// A standard queue serves messages that carry a group id fairly: a noisy group's backlog at the head of the log
/// does not delay quiet groups, and every group with messages waiting gets one message per round.
/// </summary>
public class NoisyGroupTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    // Durability None and large segments: the tests build backlogs of thousands of messages.
    private static Task<TestEngine> OpenAsync() => TestEngine.OpenAsync(DurabilityMode.None, o => o.SegmentCapacity = 1 << 20);

    [Fact]
    public async Task Quiet_groups_behind_a_backlog_of_20000_messages_of_one_group_come_out_within_the_first_receives()
    {
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q");
        await GroupedSends.SendAsync(t, "q", "A", 20_000, "a");
        await GroupedSends.SendAsync(t, "q", "B", 3, "b");
        await GroupedSends.SendAsync(t, "q", "C", 3, "c");

        // Each round the log's turn reads 1,024 records ahead: 20 rounds reach B and C; then they take one turn each
        // per round, so their three messages are out within about 30 messages: three receives of ten, not 2,000.
        var received = new List<ReceivedMessage>();
        for (int receive = 0; receive < 5; receive++)
        {
            received.AddRange(await t.ReceiveAsync("q", 10, Long));
        }

        Assert.Equal(50, received.Count);
        Assert.Equal(3, received.Count(m => m.MessageGroupId == "B"));
        Assert.Equal(3, received.Count(m => m.MessageGroupId == "C"));
        Assert.Equal(44, received.Count(m => m.MessageGroupId == "A"));
        Assert.Equal(50, received.Select(m => m.SequenceNumber).Distinct().Count());
    }

    [Fact]
    public async Task A_new_group_is_not_starved_by_more_timed_out_messages_of_busy_groups_than_the_index_holds()
    {
        // 70,000 messages of N and M interleaved, all received and timed out together: 70,000 runs visible again
        // (no two of one group are consecutive), past the index's 65,536. Counted against that bound, they stopped
        // the cursor, and Q's message came out after thousands of theirs.
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q");
        for (int sent = 0; sent < 70_000; sent += 100)
        {
            IReadOnlyList<BatchResultEntry<SendMessageResult>> results = await t.Engine.SendMessageBatchAsync(
                "q",
                [.. Enumerable.Range(0, 100).Select(i => ("e" + i, new SendMessageRequest("x"u8.ToArray(), null, null, i % 2 == 0 ? "N" : "M", null)))]);
            Assert.All(results, r => Assert.True(r.Succeeded, r.ErrorMessage));
        }

        for (int i = 0; i < 7_000; i++)
        {
            Assert.Equal(10, (await t.ReceiveAsync("q", 10, TimeSpan.FromSeconds(30))).Count);
        }

        t.AdvanceSeconds(30);
        await GroupedSends.SendOneAsync(t, "q", "Q", "quiet");

        IReadOnlyList<ReceivedMessage> first = await t.ReceiveAsync("q", 10, Long);
        Assert.Contains(first, m => m.MessageGroupId == "Q");
    }

    [Fact]
    public async Task Over_a_long_run_each_group_with_messages_waiting_gets_one_message_per_round()
    {
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q");
        await GroupedSends.SendAsync(t, "q", "A", 5_000, "a");
        await GroupedSends.SendAsync(t, "q", "B", 500, "b");
        await GroupedSends.SendAsync(t, "q", "C", 500, "c");

        // Until the cursor has indexed all three, A is served alone with the log; from C's first message on, the
        // rotation is A B C (and the log, with nothing ungrouped to give): exact thirds.
        var received = new List<ReceivedMessage>();
        while (!received.Any(m => m.MessageGroupId == "C"))
        {
            received.AddRange(await t.ReceiveAsync("q", 10, Long));
        }

        int firstC = received.FindIndex(m => m.MessageGroupId == "C");
        received.RemoveRange(0, firstC + 1);
        while (received.Count < 900)
        {
            received.AddRange(await t.ReceiveAsync("q", 10, Long));
        }

        List<ReceivedMessage> window = received[..900];
        Assert.InRange(window.Count(m => m.MessageGroupId == "A"), 299, 301);
        Assert.InRange(window.Count(m => m.MessageGroupId == "B"), 299, 301);
        Assert.InRange(window.Count(m => m.MessageGroupId == "C"), 299, 301);

        // No group waits two rounds: between two messages of a group, each other group has at most one.
        for (int i = 0; i + 3 <= window.Count; i++)
        {
            Assert.Equal(3, window.Skip(i).Take(3).Select(GroupedSends.GroupOf).Distinct().Count());
        }
    }

    [Fact]
    public async Task Ungrouped_messages_take_part_as_one_more_participant()
    {
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q");
        await GroupedSends.SendAsync(t, "q", "A", 3_000, "a");
        await GroupedSends.SendAsync(t, "q", null, 200, "u");

        var received = new List<ReceivedMessage>();
        for (int receive = 0; receive < 10; receive++)
        {
            received.AddRange(await t.ReceiveAsync("q", 10, Long));
        }

        // The first ungrouped message is reached after three rounds of reading ahead; from then on A and the log
        // alternate.
        int firstUngrouped = received.FindIndex(m => m.MessageGroupId is null);
        Assert.InRange(firstUngrouped, 1, 6);
        List<ReceivedMessage> after = received[firstUngrouped..];
        int ungrouped = after.Count(m => m.MessageGroupId is null);
        Assert.InRange(ungrouped, (after.Count / 2) - 1, (after.Count / 2) + 1);

        // And the ungrouped ones keep their order among themselves.
        List<long> sequences = [.. after.Where(m => m.MessageGroupId is null).Select(m => m.SequenceNumber)];
        Assert.Equal(sequences.Order(), sequences);
    }

    [Fact]
    public async Task A_queue_without_group_ids_delivers_in_log_order_as_before()
    {
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q");
        await GroupedSends.SendAsync(t, "q", null, 300, "u");

        List<ReceivedMessage> all = await GroupedSends.DrainAsync(t, "q");
        Assert.Equal(Enumerable.Range(0, 300).Select(i => "u" + i), all.Select(TestEngine.Body));
    }

    [Fact]
    public async Task Many_groups_interleaved_message_by_message_are_all_delivered_once()
    {
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q");
        for (int i = 0; i < 1_000; i++)
        {
            await GroupedSends.SendOneAsync(t, "q", "g" + (i % 37), "m" + i);
        }

        List<ReceivedMessage> all = await GroupedSends.DrainAsync(t, "q");
        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => "m" + i).Order(), all.Select(TestEngine.Body).Order());
        Assert.Equal((0L, 0L, 0L), t.Counts("q"));
    }
}
