using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class ChangeMessageVisibilityTests
{
    [Fact]
    public async Task The_new_timeout_counts_from_the_call_not_from_the_receive()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(30));

        t.AdvanceSeconds(20);
        t.Engine.ChangeMessageVisibility("q", message.ReceiptHandle, TimeSpan.FromSeconds(30));

        // 30 s after the receive the original timeout would have ended; the new one runs until 50 s.
        t.AdvanceSeconds(29.999);
        Assert.Empty(await t.ReceiveAsync("q"));
        t.AdvanceSeconds(0.001);
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task A_shorter_timeout_makes_the_message_visible_sooner()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromMinutes(10));

        t.Engine.ChangeMessageVisibility("q", message.ReceiptHandle, TimeSpan.FromSeconds(5));
        t.AdvanceSeconds(5);
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task Zero_makes_the_message_visible_at_once()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        t.AdvanceSeconds(7);
        ReceivedMessage message = await t.ReceiveOneAsync("q");

        t.Engine.ChangeMessageVisibility("q", message.ReceiptHandle, TimeSpan.Zero);
        ReceivedMessage again = await t.ReceiveOneAsync("q");
        Assert.Equal(message.MessageId, again.MessageId);
        Assert.Equal(2, again.ApproximateReceiveCount);
    }

    [Fact]
    public async Task The_total_may_reach_but_not_exceed_12_hours_from_the_receive()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromHours(2));

        t.Advance(TimeSpan.FromHours(1));
        var ex = Assert.Throws<LogQueueException>(() => t.Engine.ChangeMessageVisibility("q", message.ReceiptHandle, TimeSpan.FromHours(11) + TimeSpan.FromSeconds(1)));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);

        // The refused change left the timeout as it was: still invisible, and a change to exactly 12 h in all is allowed.
        t.Engine.ChangeMessageVisibility("q", message.ReceiptHandle, TimeSpan.FromHours(11));
        t.Advance(TimeSpan.FromHours(11) - TimeSpan.FromSeconds(1));
        Assert.Empty(await t.ReceiveAsync("q"));
        t.AdvanceSeconds(1);
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task A_single_timeout_outside_0_to_12_hours_is_InvalidParameterValue()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q");

        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<LogQueueException>(() => t.Engine.ChangeMessageVisibility("q", message.ReceiptHandle, TimeSpan.FromSeconds(-1))).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<LogQueueException>(() => t.Engine.ChangeMessageVisibility("q", message.ReceiptHandle, TimeSpan.FromHours(12) + TimeSpan.FromSeconds(1))).Code);
    }

    [Fact]
    public async Task A_message_that_is_no_longer_in_flight_is_MessageNotInflight()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(1));
        t.AdvanceSeconds(1);

        var ex = Assert.Throws<LogQueueException>(() => t.Engine.ChangeMessageVisibility("q", message.ReceiptHandle, TimeSpan.FromSeconds(30)));
        Assert.Equal(ErrorCode.MessageNotInflight, ex.Code);
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task A_deleted_message_cannot_have_its_visibility_changed()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q");
        await t.Engine.DeleteMessageAsync("q", message.ReceiptHandle);

        var ex = Assert.Throws<LogQueueException>(() => t.Engine.ChangeMessageVisibility("q", message.ReceiptHandle, TimeSpan.Zero));
        Assert.Equal(ErrorCode.MessageNotInflight, ex.Code);
        Assert.Empty(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task A_batch_reports_each_entry_and_applies_the_good_ones()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.CreateQueueAsync("other");
        for (int i = 0; i < 3; i++)
        {
            await t.SendAsync("q", "m" + i);
        }

        await t.SendAsync("other", "x");
        IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q", 3, TimeSpan.FromSeconds(30));
        Assert.Equal(3, got.Count);
        ReceivedMessage foreign = await t.ReceiveOneAsync("other");
        ReceivedMessage stale = got[2];
        t.Engine.ChangeMessageVisibility("q", stale.ReceiptHandle, TimeSpan.Zero);
        Assert.Single(await t.ReceiveAsync("q", 1));

        IReadOnlyList<BatchResultEntry<bool>> results = t.Engine.ChangeMessageVisibilityBatch("q",
        [
            ("now", got[0].ReceiptHandle, TimeSpan.Zero),
            ("later", got[1].ReceiptHandle, TimeSpan.FromMinutes(5)),
            ("stale", stale.ReceiptHandle, TimeSpan.Zero),
            ("foreign", foreign.ReceiptHandle, TimeSpan.Zero),
            ("garbage", "not-a-handle", TimeSpan.Zero),
            ("toolong", got[1].ReceiptHandle, TimeSpan.FromHours(13)),
        ]);

        Assert.Equal(["now", "later", "stale", "foreign", "garbage", "toolong"], results.Select(r => r.Id));
        Assert.True(results[0].Succeeded);
        Assert.True(results[1].Succeeded);
        Assert.Equal(ErrorCode.MessageNotInflight, results[2].Error);
        Assert.Equal(ErrorCode.ReceiptHandleIsInvalid, results[3].Error);
        Assert.Equal(ErrorCode.ReceiptHandleIsInvalid, results[4].Error);
        Assert.Equal(ErrorCode.InvalidParameterValue, results[5].Error);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.False(string.IsNullOrEmpty(r.ErrorMessage)));

        // "now" is visible at once; "later" stays hidden for 5 minutes, not the original 30 s.
        // The stale entry changed nothing: m2 keeps the 30 s of its latest receive.
        Assert.Equal(["m0"], await t.ReceiveBodiesAsync("q", visibility: TimeSpan.FromHours(1)));
        t.AdvanceSeconds(60);
        Assert.Equal(["m2"], await t.ReceiveBodiesAsync("q", visibility: TimeSpan.FromHours(1)));
        t.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(["m1"], await t.ReceiveBodiesAsync("q"));
    }
}
