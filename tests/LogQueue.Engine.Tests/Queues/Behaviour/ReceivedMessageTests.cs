using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class ReceivedMessageTests
{
    [Fact]
    public async Task A_received_message_carries_what_was_sent_and_its_delivery_facts()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        MessageAttributes attributes = TestEngine.Attributes(
            ("s", MessageAttributeValue.FromString("text", "custom")),
            ("n", MessageAttributeValue.FromNumber("-1.5e3")),
            ("b", MessageAttributeValue.FromBinary(new byte[] { 255, 0, 7 })));
        SendMessageResult sent = await t.SendAsync("q", "hello", attributes: attributes);
        long sentAt = t.NowMs;

        t.AdvanceSeconds(2);
        long firstReceiveAt = t.NowMs;
        ReceivedMessage first = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(5));
        Assert.Equal(sent.MessageId, first.MessageId);
        Assert.Equal(sent.SequenceNumber, first.SequenceNumber);
        Assert.Equal("hello", TestEngine.Body(first));
        Assert.Equal(3, first.Attributes.Count);
        Assert.Equal("String.custom", first.Attributes["s"].DataType);
        Assert.Equal("text", first.Attributes["s"].StringValue);
        Assert.Equal("-1.5e3", first.Attributes["n"].StringValue);
        Assert.Equal(new byte[] { 255, 0, 7 }, first.Attributes["b"].BinaryValue.ToArray());
        Assert.Equal(sentAt, first.SentTimestamp);
        Assert.Equal(1, first.ApproximateReceiveCount);
        Assert.Equal(firstReceiveAt, first.ApproximateFirstReceiveTimestamp);
        Assert.Null(first.DeadLetterSourceQueue);
        Assert.False(string.IsNullOrEmpty(first.ReceiptHandle));

        t.AdvanceSeconds(5);
        ReceivedMessage second = await t.ReceiveOneAsync("q");
        Assert.Equal(2, second.ApproximateReceiveCount);
        Assert.Equal(firstReceiveAt, second.ApproximateFirstReceiveTimestamp);
        Assert.Equal(sentAt, second.SentTimestamp);
        Assert.NotEqual(first.ReceiptHandle, second.ReceiptHandle);
    }

    [Fact]
    public async Task A_message_without_attributes_has_an_empty_set()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "plain");
        Assert.Empty((await t.ReceiveOneAsync("q")).Attributes);
    }

    [Fact]
    public async Task Message_ids_are_distinct_and_sequence_numbers_rise()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        var sent = new List<SendMessageResult>();
        for (int i = 0; i < 5; i++)
        {
            sent.Add(await t.SendAsync("q", "m" + i));
        }

        Assert.Equal(5, sent.Select(s => s.MessageId).Distinct().Count());
        Assert.Equal(sent.Select(s => s.SequenceNumber).Order(), sent.Select(s => s.SequenceNumber));
        Assert.True(MessageId.TryParse(sent[0].MessageId.ToString(), out MessageId parsed));
        Assert.Equal(sent[0].MessageId, parsed);
    }

    [Fact]
    public async Task The_oldest_visible_message_comes_first()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        for (int i = 0; i < 6; i++)
        {
            await t.SendAsync("q", "m" + i);
        }

        Assert.Equal(["m0", "m1"], await t.ReceiveBodiesAsync("q", 2, TimeSpan.FromSeconds(10)));
        Assert.Equal(["m2"], await t.ReceiveBodiesAsync("q", 1, TimeSpan.FromHours(1)));

        // m0 and m1 return to visibility and come before the newer m3..m5 that were never received.
        t.AdvanceSeconds(10);
        Assert.Equal(["m0", "m1", "m3"], await t.ReceiveBodiesAsync("q", 3, TimeSpan.FromHours(1)));
        Assert.Equal(["m4", "m5"], await t.ReceiveBodiesAsync("q", 10, TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task A_receive_returns_at_most_the_number_asked_for()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        IReadOnlyList<BatchResultEntry<SendMessageResult>> sent = await t.Engine.SendMessageBatchAsync(
            "q", [.. Enumerable.Range(0, 25).Select(i => ("e" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), new SendMessageRequest(new byte[] { (byte)i })))]);
        Assert.All(sent, r => Assert.True(r.Succeeded));

        Assert.Single(await t.ReceiveAsync("q", 1));
        Assert.Equal(10, (await t.ReceiveAsync("q", 10)).Count);
        Assert.Equal(14, (await t.ReceiveAsync("q", 100)).Count);
    }
}
