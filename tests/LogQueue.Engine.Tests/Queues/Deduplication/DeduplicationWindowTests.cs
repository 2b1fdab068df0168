using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Queues.Deduplication;

public class DeduplicationWindowTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_duplicate_inside_the_window_returns_the_original_and_stores_nothing()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t);
        SendMessageResult original = await FifoQueue.SendAsync(t, "first", "d1");

        t.Advance(Window - TimeSpan.FromMilliseconds(1));
        SendMessageResult duplicate = await FifoQueue.SendAsync(t, "second body, same id", "d1");

        Assert.Equal(original.MessageId, duplicate.MessageId);
        Assert.Equal(original.SequenceNumber, duplicate.SequenceNumber);
        Assert.Equal(1, FifoQueue.Stored(t));
        ReceivedMessage received = Assert.Single(await FifoQueue.DrainAsync(t));
        Assert.Equal("first", TestEngine.Body(received));
        Assert.Equal("d1", received.MessageDeduplicationId);
    }

    [Fact]
    public async Task After_the_window_the_same_id_is_a_new_message()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t);
        SendMessageResult original = await FifoQueue.SendAsync(t, "first", "d1");

        t.Advance(Window);
        SendMessageResult again = await FifoQueue.SendAsync(t, "second", "d1");

        Assert.NotEqual(original.MessageId, again.MessageId);
        Assert.True(again.SequenceNumber > original.SequenceNumber);
        Assert.Equal(["first", "second"], (await FifoQueue.DrainAsync(t)).Select(TestEngine.Body));
    }

    [Fact]
    public async Task The_window_holds_after_the_original_was_received_and_deleted()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t);
        SendMessageResult original = await FifoQueue.SendAsync(t, "first", "d1");
        Assert.Single(await FifoQueue.DrainAsync(t));

        SendMessageResult duplicate = await FifoQueue.SendAsync(t, "first", "d1");

        Assert.Equal(original.SequenceNumber, duplicate.SequenceNumber);
        Assert.Empty(await t.ReceiveAsync(FifoQueue.Name));
        Assert.Equal(0, FifoQueue.Stored(t));
    }

    [Fact]
    public async Task The_window_holds_after_a_purge()
    {
        // SQS tracks a deduplication id for five minutes whatever happens to its message; a purge deletes messages,
        // it does not unsay the sends.
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t);
        SendMessageResult original = await FifoQueue.SendAsync(t, "first", "d1");
        await t.Engine.PurgeQueueAsync(FifoQueue.Name);

        Assert.Equal(original.SequenceNumber, (await FifoQueue.SendAsync(t, "first", "d1")).SequenceNumber);
        Assert.Equal(0, FifoQueue.Stored(t));
    }

    [Fact]
    public async Task Segments_of_deleted_messages_stay_while_their_sends_are_in_the_window_and_go_after()
    {
        await using TestEngine t = await OpenSmallSegmentsAsync();
        await FifoQueue.CreateAsync(t);
        List<SendMessageResult> originals = await FillAsync(t, 300);
        Assert.Equal(300, (await FifoQueue.DrainAsync(t)).Count);

        // The deletes moved the floor past every segment and reclaimed space on the way: a standard queue would be
        // down to one segment. This one keeps them for the window.
        int kept = FifoQueue.SegmentCount(t);
        Assert.True(kept >= 4, $"300 messages of 900 bytes should fill several small segments, not {kept}");
        Assert.Equal(originals[0].SequenceNumber, (await FifoQueue.SendAsync(t, "x", "d0")).SequenceNumber);
        Assert.Equal(0, FifoQueue.Stored(t));

        t.Advance(Window);
        Assert.True(await Poll.UntilAsync(() => FifoQueue.SegmentCount(t) == 1, beforeEachCheck: () => t.AdvanceSeconds(1)));
        Assert.NotEqual(originals[0].SequenceNumber, (await FifoQueue.SendAsync(t, "x", "d0")).SequenceNumber);
        Assert.Equal(1, FifoQueue.Stored(t));
    }

    [Fact]
    public async Task Messages_past_retention_keep_their_ids_in_the_window()
    {
        await using TestEngine t = await OpenSmallSegmentsAsync();
        await FifoQueue.CreateAsync(t, ("MessageRetentionPeriod", "60"));
        List<SendMessageResult> originals = await FillAsync(t, 300);

        t.AdvanceSeconds(61);
        Assert.True(await Poll.UntilAsync(() => FifoQueue.Stored(t) == 0, beforeEachCheck: () => t.AdvanceSeconds(1)));
        Assert.True(FifoQueue.SegmentCount(t) >= 4);

        Assert.Equal(originals[^1].SequenceNumber, (await FifoQueue.SendAsync(t, "x", "d299")).SequenceNumber);
        Assert.Equal(originals[0].SequenceNumber, (await FifoQueue.SendAsync(t, "x", "d0")).SequenceNumber);
        Assert.Equal(0, FifoQueue.Stored(t));
    }

    [Fact]
    public async Task Expired_keys_leave_the_map()
    {
        await using TestEngine t = await TestEngine.OpenAsync(Engine.Log.DurabilityMode.None);
        await FifoQueue.CreateAsync(t);
        for (int i = 0; i < 1000; i++)
        {
            await FifoQueue.SendAsync(t, "m", "d" + i);
        }

        Assert.Equal(1000, FifoQueue.Window(t).Count);
        t.AdvanceSeconds(150);
        await FifoQueue.SendAsync(t, "m", "late");
        Assert.Equal(1001, FifoQueue.Window(t).Count);

        // The next send expires, in send order, everything older than the window; the late key stays.
        t.AdvanceSeconds(150);
        await FifoQueue.SendAsync(t, "m", "later");
        Assert.Equal(2, FifoQueue.Window(t).Count);

        // Housekeeping expires keys of an idle queue too.
        t.Advance(Window);
        Assert.True(await Poll.UntilAsync(() => FifoQueue.Window(t).Count == 0, beforeEachCheck: () => t.AdvanceSeconds(1)));
    }

    [Fact]
    public async Task A_standard_queue_has_no_window()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        Assert.Null(t.Engine.FindQueue("q")!.Deduplication);
    }

    internal static Task<TestEngine> OpenSmallSegmentsAsync() => TestEngine.OpenAsync(configure: o =>
    {
        o.MaxAllowedMessageSize = 1024;
        o.SegmentCapacity = 8192;
    });

    // Messages of 900 bytes with ids d0, d1, ..., ten per batch: a few per small segment.
    internal static async Task<List<SendMessageResult>> FillAsync(TestEngine t, int count)
    {
        byte[] body = new byte[900];
        Array.Fill(body, (byte)'x');
        var results = new List<SendMessageResult>();
        for (int sent = 0; sent < count; sent += 10)
        {
            IReadOnlyList<BatchResultEntry<SendMessageResult>> batch = await t.Engine.SendMessageBatchAsync(
                FifoQueue.Name,
                [.. Enumerable.Range(sent, Math.Min(10, count - sent)).Select(i => ("e" + i, new SendMessageRequest(body, MessageGroupId: "g", MessageDeduplicationId: "d" + i)))]);
            results.AddRange(batch.Select(r => r.Result!));
        }

        return results;
    }
}
