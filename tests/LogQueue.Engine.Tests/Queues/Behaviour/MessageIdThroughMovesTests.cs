using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class MessageIdThroughMovesTests
{
    [Fact]
    public async Task A_message_keeps_its_id_in_the_dead_letter_queue_and_back_in_its_source()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await DeadLetterQueueTests.CreateWithDeadLetterQueueAsync(t, 1);
        SendMessageResult sent = await t.SendAsync("src", "poison");
        Assert.NotNull(await DeadLetterQueueTests.ReceiveAndAbandonAsync(t, "src"));
        Assert.Empty(await t.ReceiveAsync("src"));

        ReceivedMessage dead = await t.ReceiveOneAsync("dlq", TimeSpan.Zero);
        Assert.Equal(sent.MessageId, dead.MessageId);
        Assert.Equal("src", dead.DeadLetterSourceQueue);
        Assert.Equal(0, dead.SequenceNumber);

        string handle = t.Engine.StartMessageMoveTask("dlq");
        await t.Engine.WaitForMoveTaskAsync(handle).WaitAsync(TestEngine.Bound);
        ReceivedMessage back = await t.ReceiveOneAsync("src");
        Assert.Equal(sent.MessageId, back.MessageId);
        Assert.Null(back.DeadLetterSourceQueue);
        Assert.Equal(1, back.SequenceNumber);
    }
}
