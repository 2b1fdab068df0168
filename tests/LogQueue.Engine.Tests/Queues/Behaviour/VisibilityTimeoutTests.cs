using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class VisibilityTimeoutTests
{
    [Fact]
    public async Task A_received_message_is_invisible_until_the_queue_visibility_timeout_ends_then_redelivered()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q", ("VisibilityTimeout", "30"));
        await t.SendAsync("q", "m");

        ReceivedMessage first = await t.ReceiveOneAsync("q");
        Assert.Equal(1, first.ApproximateReceiveCount);
        t.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await t.ReceiveAsync("q"));

        t.Advance(TimeSpan.FromMilliseconds(1));
        ReceivedMessage second = await t.ReceiveOneAsync("q");
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.ApproximateReceiveCount);
    }

    [Fact]
    public async Task The_default_visibility_timeout_is_30_seconds()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        await t.ReceiveOneAsync("q");

        t.AdvanceSeconds(29.999);
        Assert.Empty(await t.ReceiveAsync("q"));
        t.AdvanceSeconds(0.001);
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task A_receive_may_override_the_visibility_timeout()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q", ("VisibilityTimeout", "30"));
        await t.SendAsync("q", "m");
        await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(5));

        t.AdvanceSeconds(4);
        Assert.Empty(await t.ReceiveAsync("q"));
        t.AdvanceSeconds(1);
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task A_zero_visibility_timeout_leaves_the_message_visible_at_once()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");

        // Move the clock well past the engine's start, as a running server's would be.
        t.AdvanceSeconds(5);
        ReceivedMessage first = await t.ReceiveOneAsync("q", visibility: TimeSpan.Zero);
        ReceivedMessage second = await t.ReceiveOneAsync("q", visibility: TimeSpan.Zero);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.ApproximateReceiveCount);
    }

    [Fact]
    public async Task A_receive_with_a_zero_visibility_timeout_returns_each_message_once()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "a");
        await t.SendAsync("q", "b");

        IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q", 10, TimeSpan.Zero);
        Assert.Equal(["a", "b"], got.Select(TestEngine.Body));
        Assert.All(got, m => Assert.Equal(1, m.ApproximateReceiveCount));
        Assert.Equal(2, (await t.ReceiveAsync("q", 10, TimeSpan.Zero)).Count);
    }

    [Fact]
    public async Task A_change_of_the_queue_visibility_timeout_applies_to_the_next_receive()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.Engine.SetQueueAttributesAsync("q", new Dictionary<string, string> { ["VisibilityTimeout"] = "2" });
        await t.SendAsync("q", "m");
        await t.ReceiveOneAsync("q");

        t.AdvanceSeconds(2);
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task Every_receive_hands_out_a_new_receipt_handle()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");

        var handles = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 4; i++)
        {
            ReceivedMessage message = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(1));
            Assert.True(handles.Add(message.ReceiptHandle));
            t.AdvanceSeconds(1);
        }
    }

    [Fact]
    public async Task A_message_deleted_while_in_flight_is_never_redelivered()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q");
        await t.Engine.DeleteMessageAsync("q", message.ReceiptHandle);

        t.AdvanceSeconds(60);
        Assert.Empty(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task A_message_whose_timeout_ran_out_can_still_be_deleted_with_its_handle_until_received_again()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(1));
        t.AdvanceSeconds(2);

        await t.Engine.DeleteMessageAsync("q", message.ReceiptHandle);
        Assert.Empty(await t.ReceiveAsync("q"));
    }
}
