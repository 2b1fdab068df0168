using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Deduplication;

public class DeduplicationKeyTests
{
    [Fact]
    public async Task Under_queue_scope_one_id_in_two_groups_is_one_message()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t);
        SendMessageResult first = await FifoQueue.SendAsync(t, "a", "d1", group: "g1");
        SendMessageResult second = await FifoQueue.SendAsync(t, "b", "d1", group: "g2");

        Assert.Equal(first.SequenceNumber, second.SequenceNumber);
        Assert.Equal(1, FifoQueue.Stored(t));
    }

    [Fact]
    public async Task Under_message_group_scope_one_id_in_two_groups_is_two_messages_and_a_repeat_in_a_group_is_one()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t, ("DeduplicationScope", "messageGroup"));
        SendMessageResult first = await FifoQueue.SendAsync(t, "a", "d1", group: "g1");
        SendMessageResult second = await FifoQueue.SendAsync(t, "b", "d1", group: "g2");
        SendMessageResult repeat = await FifoQueue.SendAsync(t, "c", "d1", group: "g2");

        Assert.NotEqual(first.SequenceNumber, second.SequenceNumber);
        Assert.Equal(second.SequenceNumber, repeat.SequenceNumber);
        Assert.Equal(["a", "b"], (await FifoQueue.DrainAsync(t)).Select(TestEngine.Body).Order());
    }

    [Fact]
    public async Task Message_group_scope_survives_a_restart()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t, ("DeduplicationScope", "messageGroup"));
        SendMessageResult g1 = await FifoQueue.SendAsync(t, "a", "d1", group: "g1");
        await t.ReopenAsync();

        Assert.Equal(g1.SequenceNumber, (await FifoQueue.SendAsync(t, "a", "d1", group: "g1")).SequenceNumber);
        Assert.NotEqual(g1.SequenceNumber, (await FifoQueue.SendAsync(t, "a", "d1", group: "g2")).SequenceNumber);
        Assert.Equal(2, FifoQueue.Stored(t));
    }

    [Fact]
    public async Task Changing_the_scope_rebuilds_the_window_under_the_new_key()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t, ("DeduplicationScope", "messageGroup"));
        SendMessageResult g1 = await FifoQueue.SendAsync(t, "a", "d1", group: "g1");

        await t.Engine.SetQueueAttributesAsync(FifoQueue.Name, new Dictionary<string, string> { ["DeduplicationScope"] = "queue" });

        Assert.Equal(g1.SequenceNumber, (await FifoQueue.SendAsync(t, "b", "d1", group: "g2")).SequenceNumber);
        Assert.Equal(1, FifoQueue.Stored(t));
    }

    [Fact]
    public async Task Content_based_deduplication_keys_on_the_body_alone()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t, ("ContentBasedDeduplication", "true"));
        SendMessageResult first = await FifoQueue.SendByContentAsync(t, "same body");
        SendMessageResult sameBodyOtherAttributes = await FifoQueue.SendByContentAsync(
            t, "same body", attributes: TestEngine.Attributes(("k", MessageAttributeValue.FromString("v"))));
        SendMessageResult otherBody = await FifoQueue.SendByContentAsync(t, "other body");

        Assert.Equal(first.SequenceNumber, sameBodyOtherAttributes.SequenceNumber);
        Assert.NotEqual(first.SequenceNumber, otherBody.SequenceNumber);
        Assert.Equal(["same body", "other body"], (await FifoQueue.DrainAsync(t)).Select(TestEngine.Body));
    }

    [Fact]
    public async Task An_explicit_id_overrides_content_based_deduplication()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t, ("ContentBasedDeduplication", "true"));
        SendMessageResult first = await FifoQueue.SendAsync(t, "same body", "d1");
        SendMessageResult second = await FifoQueue.SendAsync(t, "same body", "d2");

        Assert.NotEqual(first.SequenceNumber, second.SequenceNumber);
        Assert.Equal(2, FifoQueue.Stored(t));
    }
}
