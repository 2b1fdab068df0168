using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Deduplication;

public class DeduplicationRestartTests
{
    [Fact]
    public async Task The_window_survives_a_clean_restart()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t);
        SendMessageResult original = await FifoQueue.SendAsync(t, "first", "d1");
        t.AdvanceSeconds(200);

        await t.ReopenAsync();
        SendMessageResult duplicate = await FifoQueue.SendAsync(t, "first", "d1");

        Assert.Equal(original.MessageId, duplicate.MessageId);
        Assert.Equal(original.SequenceNumber, duplicate.SequenceNumber);
        Assert.Single(await FifoQueue.DrainAsync(t));
    }

    [Fact]
    public async Task The_window_survives_a_restart_after_the_original_was_deleted_and_its_segment_reclaimed()
    {
        await using TestEngine t = await DeduplicationWindowTests.OpenSmallSegmentsAsync();
        await FifoQueue.CreateAsync(t);
        List<SendMessageResult> originals = await DeduplicationWindowTests.FillAsync(t, 300);
        Assert.Equal(300, (await FifoQueue.DrainAsync(t)).Count);

        await t.ReopenAsync();

        Assert.Equal(300, FifoQueue.Window(t).Count);
        for (int i = 0; i < 300; i += 7)
        {
            Assert.Equal(originals[i].SequenceNumber, (await FifoQueue.SendAsync(t, "again", "d" + i)).SequenceNumber);
        }

        Assert.Equal(0, FifoQueue.Stored(t));
    }

    [Fact]
    public async Task After_a_restart_only_sends_inside_the_window_are_remembered()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t);
        SendMessageResult old = await FifoQueue.SendAsync(t, "old", "old");
        t.AdvanceSeconds(200);
        SendMessageResult young = await FifoQueue.SendAsync(t, "young", "young");
        t.AdvanceSeconds(100);

        await t.ReopenAsync();

        Assert.Equal(1, FifoQueue.Window(t).Count);
        Assert.Equal(young.SequenceNumber, (await FifoQueue.SendAsync(t, "young", "young")).SequenceNumber);
        Assert.NotEqual(old.SequenceNumber, (await FifoQueue.SendAsync(t, "old", "old")).SequenceNumber);
    }

    [Fact]
    public async Task Dead_letters_moved_into_a_fifo_queue_are_not_sends_to_it()
    {
        // A dead letter keeps its deduplication id, but it was sent to another queue: a send to the dead-letter queue
        // with that id is a new message, before and after a restart.
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("dlq.fifo", ("FifoQueue", "true"));
        await FifoQueue.CreateAsync(t, ("RedrivePolicy", DeadLetterQueueTests.Policy("dlq.fifo", 1)));
        await FifoQueue.SendAsync(t, "poison", "d1");
        await t.ReceiveAsync(FifoQueue.Name, visibility: TimeSpan.FromSeconds(1));
        t.AdvanceSeconds(1);
        Assert.Empty(await t.ReceiveAsync(FifoQueue.Name));
        Assert.Equal((1, 0, 0), t.Counts("dlq.fifo"));

        await t.ReopenAsync();
        await t.Engine.SendMessageAsync("dlq.fifo", new SendMessageRequest("direct"u8.ToArray(), MessageGroupId: "g", MessageDeduplicationId: "d1"));
        Assert.Equal((2, 0, 0), t.Counts("dlq.fifo"));
    }
}
