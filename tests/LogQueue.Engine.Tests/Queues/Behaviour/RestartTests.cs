using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class RestartTests
{
    [Theory]
    [InlineData(DurabilityMode.Always)]
    [InlineData(DurabilityMode.None)]
    public async Task Messages_in_flight_at_a_clean_close_are_visible_at_once_after_reopening(DurabilityMode durability)
    {
        await using TestEngine t = await TestEngine.OpenAsync(durability);
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "a");
        await t.SendAsync("q", "b");
        await t.ReceiveAsync("q", 10, TimeSpan.FromHours(1));
        Assert.Equal((0, 2, 0), t.Counts("q"));

        await t.ReopenAsync();
        IReadOnlyList<ReceivedMessage> again = await t.ReceiveAsync("q");
        Assert.Equal(["a", "b"], again.Select(TestEngine.Body));
        Assert.All(again, m => Assert.Equal(2, m.ApproximateReceiveCount));
    }

    [Theory]
    [InlineData(DurabilityMode.Always)]
    [InlineData(DurabilityMode.None)]
    public async Task Deleted_messages_stay_deleted(DurabilityMode durability)
    {
        await using TestEngine t = await TestEngine.OpenAsync(durability);
        await t.CreateQueueAsync("q");
        for (int i = 0; i < 6; i++)
        {
            await t.SendAsync("q", "m" + i);
        }

        IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q", 6);
        await t.Engine.DeleteMessageAsync("q", got[1].ReceiptHandle);
        IReadOnlyList<BatchResultEntry<bool>> deleted = await t.Engine.DeleteMessageBatchAsync("q", [("a", got[3].ReceiptHandle), ("b", got[4].ReceiptHandle)]);
        Assert.All(deleted, d => Assert.True(d.Succeeded));

        await t.ReopenAsync();
        Assert.Equal(["m0", "m2", "m5"], await t.ReceiveBodiesAsync("q"));
        await t.ReopenAsync();
        Assert.Equal(["m0", "m2", "m5"], await t.ReceiveBodiesAsync("q"));
    }

    [Theory]
    [InlineData(DurabilityMode.Always)]
    [InlineData(DurabilityMode.None)]
    public async Task Receive_counts_and_first_receive_times_survive(DurabilityMode durability)
    {
        await using TestEngine t = await TestEngine.OpenAsync(durability);
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        long firstReceiveAt = t.NowMs;
        await t.ReceiveAsync("q", 1, TimeSpan.Zero);
        t.AdvanceSeconds(1);
        await t.ReceiveAsync("q", 1, TimeSpan.Zero);

        await t.ReopenAsync();
        t.AdvanceSeconds(1);
        ReceivedMessage third = await t.ReceiveOneAsync("q");
        Assert.Equal(3, third.ApproximateReceiveCount);
        Assert.Equal(firstReceiveAt, third.ApproximateFirstReceiveTimestamp);
    }

    [Fact]
    public async Task A_poison_message_cannot_escape_its_dead_letter_queue_through_restarts()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await DeadLetterQueueTests.CreateWithDeadLetterQueueAsync(t, 3);
        await t.SendAsync("src", "poison");

        // Each receive is followed by a restart, which makes the message visible again at once.
        for (int i = 1; i <= 3; i++)
        {
            ReceivedMessage message = await t.ReceiveOneAsync("src");
            Assert.Equal(i, message.ApproximateReceiveCount);
            await t.ReopenAsync();
        }

        Assert.Empty(await t.ReceiveAsync("src"));
        Assert.Equal(["poison"], (await t.ReceiveAsync("dlq", 10, TimeSpan.Zero)).Select(TestEngine.Body));

        // The move itself is durable: after another restart the message is in the dead-letter queue only.
        await t.ReopenAsync();
        Assert.Empty(await t.ReceiveAsync("src"));
        ReceivedMessage dead = await t.ReceiveOneAsync("dlq");
        Assert.Equal("src", dead.DeadLetterSourceQueue);
    }

    [Fact]
    public async Task Order_and_ids_are_the_same_after_a_restart()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        var sent = new List<SendMessageResult>();
        for (int i = 0; i < 5; i++)
        {
            sent.Add(await t.SendAsync("q", "m" + i));
        }

        await t.ReopenAsync();
        IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q");
        Assert.Equal(sent.Select(s => s.MessageId), got.Select(m => m.MessageId));

        // New sends continue the sequence.
        SendMessageResult next = await t.SendAsync("q", "after");
        Assert.Equal(sent[^1].SequenceNumber + 1, next.SequenceNumber);
    }

    [Fact]
    public async Task State_written_into_a_journal_checkpoint_survives()
    {
        await using TestEngine t = await TestEngine.OpenAsync(DurabilityMode.None);
        await t.CreateQueueAsync("q");
        IReadOnlyList<BatchResultEntry<SendMessageResult>> sent = await t.Engine.SendMessageBatchAsync(
            "q", [.. Enumerable.Range(0, 100).Select(i => ("e" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), new SendMessageRequest(new byte[] { (byte)i })))]);
        Assert.All(sent, r => Assert.True(r.Succeeded));
        IReadOnlyList<ReceivedMessage> first = await t.ReceiveAsync("q", 100, TimeSpan.Zero);
        await t.Engine.DeleteMessageBatchAsync("q", [.. first.Where(m => m.Body.Span[0] % 2 == 0).Select(m => ("d" + m.Body.Span[0].ToString(System.Globalization.CultureInfo.InvariantCulture), m.ReceiptHandle))]);

        // The journal checkpoints after 100,000 entries: receive the other 50 messages that often, in all.
        for (int round = 1; round < 2000; round++)
        {
            Assert.Equal(50, (await t.ReceiveAsync("q", 100, TimeSpan.Zero)).Count);
        }

        string checkpoint = Path.Combine(t.DataDirectory, "queues", "q", "state", Engine.Queues.Journal.QueueStateJournal.CheckpointFileName);
        Assert.True(await TestSupport.Poll.UntilAsync(() => File.Exists(checkpoint), beforeEachCheck: () => t.AdvanceSeconds(1)));

        await t.ReopenAsync();
        IReadOnlyList<ReceivedMessage> after = await t.ReceiveAsync("q", 100);
        Assert.Equal(50, after.Count);
        Assert.All(after, m => Assert.Equal(1, m.Body.Span[0] % 2));
        Assert.All(after, m => Assert.Equal(2001, m.ApproximateReceiveCount));
    }
}
