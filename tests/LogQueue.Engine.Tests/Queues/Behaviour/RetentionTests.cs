using LogQueue.Engine.Queues.Messages;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class RetentionTests
{
    // Small messages and small segments, so that a few dozen messages fill several segments.
    private static Task<TestEngine> OpenSmallAsync() => TestEngine.OpenAsync(configure: o =>
    {
        o.MaxAllowedMessageSize = 1024;
        o.SegmentCapacity = 8192;
    });

    private static int SegmentCount(TestEngine t, string queue) => t.Engine.FindQueue(queue)!.Log.SegmentCount;

    // Enough 900-byte messages to fill several segments (the engine makes them hold at least two of its largest records).
    private static async Task FillAsync(TestEngine t, string queue, int count = 200)
    {
        byte[] body = new byte[900];
        Array.Fill(body, (byte)'x');
        for (int sent = 0; sent < count; sent += 50)
        {
            IReadOnlyList<BatchResultEntry<SendMessageResult>> results = await t.Engine.SendMessageBatchAsync(
                queue,
                [.. Enumerable.Range(0, Math.Min(50, count - sent)).Select(i => ("e" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), new SendMessageRequest(body)))]);
            Assert.All(results, r => Assert.True(r.Succeeded));
        }
    }

    [Fact]
    public async Task A_message_is_delivered_until_its_retention_ends_and_never_after()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q", ("MessageRetentionPeriod", "60"));
        await t.SendAsync("q", "m");

        t.AdvanceSeconds(59.999);
        Assert.Single(await t.ReceiveAsync("q", visibility: TimeSpan.Zero));
        t.AdvanceSeconds(0.001);
        Assert.Empty(await t.ReceiveAsync("q"));
        Assert.Equal((0, 0, 0), t.Counts("q"));
    }

    [Fact]
    public async Task A_message_in_flight_when_its_retention_ends_is_not_redelivered()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q", ("MessageRetentionPeriod", "60"));
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromMinutes(2));

        t.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(await t.ReceiveAsync("q"));
        Assert.Equal((0, 0, 0), t.Counts("q"));
    }

    [Fact]
    public async Task Messages_past_retention_are_dropped_without_a_receive_and_their_segments_removed()
    {
        await using TestEngine t = await OpenSmallAsync();
        await t.CreateQueueAsync("q", ("MessageRetentionPeriod", "60"));
        await FillAsync(t, "q");
        Assert.True(SegmentCount(t, "q") >= 4, $"200 messages of 900 bytes should fill several small segments, not {SegmentCount(t, "q")}");
        t.AdvanceSeconds(30);
        await t.SendAsync("q", "young");

        // Housekeeping runs every second on the engine's timer; it drops what outlived the retention period.
        t.AdvanceSeconds(30);
        Assert.True(await Poll.UntilAsync(() => SegmentCount(t, "q") == 1 && t.Counts("q") == (1, 0, 0), beforeEachCheck: () => t.AdvanceSeconds(1)));
        Assert.Equal(["young"], await t.ReceiveBodiesAsync("q"));
    }

    [Fact]
    public async Task Deleting_every_message_of_a_sealed_segment_removes_it()
    {
        await using TestEngine t = await OpenSmallAsync();
        await t.CreateQueueAsync("q");
        await FillAsync(t, "q");
        Assert.True(SegmentCount(t, "q") >= 4);
        while ((await t.ReceiveAsync("q", 50)) is { Count: > 0 } batch)
        {
            IReadOnlyList<BatchResultEntry<bool>> deleted = await t.Engine.DeleteMessageBatchAsync("q", [.. batch.Select((m, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ReceiptHandle))]);
            Assert.All(deleted, d => Assert.True(d.Succeeded));
        }

        Assert.Equal(1, SegmentCount(t, "q"));
    }

    [Fact]
    public async Task A_shorter_retention_applies_to_messages_already_stored()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "old");
        t.AdvanceSeconds(120);

        await t.Engine.SetQueueAttributesAsync("q", new Dictionary<string, string> { ["MessageRetentionPeriod"] = "60" });
        Assert.Empty(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task A_dead_letter_keeps_counting_retention_from_its_original_send()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("dlq", ("MessageRetentionPeriod", "60"));
        await t.CreateQueueAsync("src", ("RedrivePolicy", DeadLetterQueueTests.Policy("dlq", 1)));
        await t.SendAsync("src", "poison");
        await t.ReceiveAsync("src", visibility: TimeSpan.FromSeconds(50));
        t.AdvanceSeconds(50);
        Assert.Empty(await t.ReceiveAsync("src"));
        Assert.Equal((1, 0, 0), t.Counts("dlq"));

        t.AdvanceSeconds(10);
        Assert.Empty(await t.ReceiveAsync("dlq"));
    }

    [Fact]
    public async Task Expired_messages_stay_gone_after_a_restart()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q", ("MessageRetentionPeriod", "60"));
        await t.SendAsync("q", "old");
        t.AdvanceSeconds(61);
        Assert.True(await Poll.UntilAsync(() => t.Counts("q") == (0, 0, 0), beforeEachCheck: () => t.AdvanceSeconds(1)));

        await t.ReopenAsync();
        Assert.Empty(await t.ReceiveAsync("q"));
        Assert.Equal((0, 0, 0), t.Counts("q"));
    }

    [Fact]
    public async Task An_engine_allowing_only_small_messages_opens_with_segments_that_hold_its_largest_message()
    {
        // 8 KiB asked for; the engine makes the segments big enough for a record of its largest message.
        await using TestEngine t = await OpenSmallAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", new string('x', 1024));
        Assert.Single(await t.ReceiveAsync("q"));
    }
}
