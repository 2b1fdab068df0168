using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class DelayTests
{
    [Fact]
    public async Task A_message_sent_with_a_delay_is_not_received_before_it_is_due()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "late", delay: TimeSpan.FromSeconds(10));

        Assert.Empty(await t.ReceiveAsync("q"));
        t.AdvanceSeconds(9.999);
        Assert.Empty(await t.ReceiveAsync("q"));
        t.AdvanceSeconds(0.001);
        Assert.Equal(["late"], await t.ReceiveBodiesAsync("q"));
    }

    [Fact]
    public async Task The_queue_DelaySeconds_applies_to_sends_that_give_no_delay()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q", ("DelaySeconds", "5"));
        await t.SendAsync("q", "m");

        t.AdvanceSeconds(4);
        Assert.Empty(await t.ReceiveAsync("q"));
        t.AdvanceSeconds(1);
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task A_per_message_delay_overrides_the_queue_default_zero_included()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q", ("DelaySeconds", "60"));
        await t.SendAsync("q", "now", delay: TimeSpan.Zero);
        await t.SendAsync("q", "soon", delay: TimeSpan.FromSeconds(2));

        Assert.Equal(["now"], await t.ReceiveBodiesAsync("q"));
        t.AdvanceSeconds(2);
        Assert.Equal(["soon"], await t.ReceiveBodiesAsync("q"));
    }

    [Fact]
    public async Task A_change_of_DelaySeconds_applies_to_later_sends_only()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "before");
        await t.Engine.SetQueueAttributesAsync("q", new Dictionary<string, string> { ["DelaySeconds"] = "30" });
        await t.SendAsync("q", "after");

        Assert.Equal(["before"], await t.ReceiveBodiesAsync("q", visibility: TimeSpan.FromHours(1)));
        t.AdvanceSeconds(30);
        Assert.Equal(["after"], await t.ReceiveBodiesAsync("q"));
    }

    [Fact]
    public async Task A_delayed_message_counts_as_Delayed_until_due_then_as_visible()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "late", delay: TimeSpan.FromMinutes(15));
        await t.SendAsync("q", "now");

        Assert.Equal((1, 0, 1), t.Counts("q"));
        t.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal((2, 0, 0), t.Counts("q"));
    }

    [Fact]
    public async Task A_message_not_yet_due_is_skipped_and_later_ones_are_delivered()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "late", delay: TimeSpan.FromSeconds(30));
        await t.SendAsync("q", "a");
        await t.SendAsync("q", "b");

        Assert.Equal(["a", "b"], await t.ReceiveBodiesAsync("q", visibility: TimeSpan.FromHours(1)));
        t.AdvanceSeconds(30);
        Assert.Equal(["late"], await t.ReceiveBodiesAsync("q"));
    }

    [Fact]
    public async Task Batch_entries_carry_their_own_delays()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        IReadOnlyList<BatchResultEntry<SendMessageResult>> sent = await t.Engine.SendMessageBatchAsync("q",
        [
            ("a", new SendMessageRequest("a"u8.ToArray(), Delay: TimeSpan.FromSeconds(20))),
            ("b", new SendMessageRequest("b"u8.ToArray())),
            ("c", new SendMessageRequest("c"u8.ToArray(), Delay: TimeSpan.FromSeconds(10))),
        ]);
        Assert.All(sent, r => Assert.True(r.Succeeded));

        Assert.Equal(["b"], await t.ReceiveBodiesAsync("q"));
        Assert.Equal((0, 1, 2), t.Counts("q"));
        t.AdvanceSeconds(10);
        Assert.Equal(["c"], await t.ReceiveBodiesAsync("q"));
        t.AdvanceSeconds(10);
        Assert.Equal(["a"], await t.ReceiveBodiesAsync("q"));
    }

    [Fact]
    public async Task A_delay_over_15_minutes_or_negative_is_refused()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");

        var tooLong = await Assert.ThrowsAsync<LogQueueException>(() => t.SendAsync("q", "m", delay: TimeSpan.FromSeconds(901)));
        Assert.Equal(ErrorCode.InvalidParameterValue, tooLong.Code);
        var negative = await Assert.ThrowsAsync<LogQueueException>(() => t.SendAsync("q", "m", delay: TimeSpan.FromSeconds(-1)));
        Assert.Equal(ErrorCode.InvalidParameterValue, negative.Code);

        await t.SendAsync("q", "m", delay: TimeSpan.FromSeconds(900));
        Assert.Equal((0, 0, 1), t.Counts("q"));
    }

    [Fact]
    public async Task A_delayed_message_survives_a_restart_and_is_still_held_until_due()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "late", delay: TimeSpan.FromSeconds(60));
        t.AdvanceSeconds(30);

        await t.ReopenAsync();
        Assert.Empty(await t.ReceiveAsync("q"));
        t.AdvanceSeconds(30);
        Assert.Equal(["late"], await t.ReceiveBodiesAsync("q"));
    }

    [Fact]
    public async Task After_a_restart_a_still_delayed_message_counts_as_delayed_not_visible()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "old", delay: TimeSpan.FromSeconds(10));
        await t.SendAsync("q", "now");
        await t.SendAsync("q", "late", delay: TimeSpan.FromSeconds(60));
        t.AdvanceSeconds(30);

        await t.ReopenAsync();

        Assert.Equal((2, 0, 1), t.Counts("q"));
        t.AdvanceSeconds(30);
        Assert.Equal((3, 0, 0), t.Counts("q"));
    }

    [Fact]
    public async Task After_a_restart_messages_older_than_the_longest_delay_are_not_rescanned_as_delayed()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "a", delay: TimeSpan.FromSeconds(900));
        t.AdvanceSeconds(901);
        await t.SendAsync("q", "b", delay: TimeSpan.FromSeconds(5));

        await t.ReopenAsync();

        Assert.Equal((1, 0, 1), t.Counts("q"));
        Assert.Equal(["a"], await t.ReceiveBodiesAsync("q"));
    }
}
