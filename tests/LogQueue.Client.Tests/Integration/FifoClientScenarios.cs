using System.Security.Cryptography;
using System.Text;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;

namespace LogQueue.Client.Tests.Integration;

/// <summary>
/// FIFO queues through an <see cref="ILogQueueClient"/>: every field both ways and the engine's verdicts. Run once on the
/// network client against a real server and once on the embedded client, which must answer alike.
/// </summary>
public abstract class FifoClientScenarios
{
    private static readonly Dictionary<string, string> Fifo = new() { ["FifoQueue"] = "true" };

    protected abstract ILogQueueClient Client { get; }

    [Fact]
    public async Task Fifo_attributes_are_created_read_and_changed()
    {
        QueueClient queue = Client.GetQueue("attributes.fifo");
        await queue.CreateAsync(new Dictionary<string, string>
        {
            ["FifoQueue"] = "true",
            ["ContentBasedDeduplication"] = "true",
            ["DeduplicationScope"] = "messageGroup",
            ["FifoThroughputLimit"] = "perMessageGroupId",
        });

        IReadOnlyDictionary<string, string> attributes = await queue.GetAttributesAsync(["FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"]);
        Assert.Equal(["true", "true", "messageGroup", "perMessageGroupId"], new[] { "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit" }.Select(n => attributes[n]));

        await queue.SetAttributesAsync(new Dictionary<string, string> { ["FifoThroughputLimit"] = "perQueue", ["DeduplicationScope"] = "queue" });
        attributes = await queue.GetAttributesAsync();
        Assert.Equal("perQueue", attributes["FifoThroughputLimit"]);
        Assert.Equal("queue", attributes["DeduplicationScope"]);

        // A FIFO queue's dead-letter queue must be FIFO too.
        await Client.CreateQueueAsync("attributes-standard-dlq");
        var refused = await Assert.ThrowsAsync<LogQueueException>(() => queue.SetAttributesAsync(new Dictionary<string, string>
        {
            ["RedrivePolicy"] = """{"deadLetterTargetArn":"arn:aws:sqs:local:000000000000:attributes-standard-dlq","maxReceiveCount":"3"}""",
        }));
        Assert.Equal(ErrorCode.InvalidAttributeValue, refused.Code);
    }

    [Fact]
    public async Task A_received_message_carries_its_sequence_group_and_deduplication_id()
    {
        QueueClient queue = Client.GetQueue("fields.fifo");
        await queue.CreateAsync(Fifo);

        SendMessageResponse sent = await queue.SendAsync("hello", "g1", "d1");

        QueueMessage received = Assert.Single(await queue.ReceiveAsync(new ReceiveOptions { WaitTime = TimeSpan.Zero, VisibilityTimeout = TimeSpan.FromMinutes(1) }));
        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal(sent.SequenceNumber, received.SequenceNumber);
        Assert.Equal("g1", received.MessageGroupId);
        Assert.Equal("d1", received.MessageDeduplicationId);
        Assert.Equal("hello", received.BodyAsString());
    }

    [Fact]
    public async Task Content_based_deduplication_reports_the_body_hash()
    {
        QueueClient queue = Client.GetQueue("content.fifo");
        await queue.CreateAsync(new Dictionary<string, string> { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = "true" });

        await queue.SendAsync("payload"u8.ToArray(), "g1", messageDeduplicationId: null);

        QueueMessage received = Assert.Single(await queue.ReceiveAsync(new ReceiveOptions { WaitTime = TimeSpan.Zero }));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("payload"u8)), received.MessageDeduplicationId);
    }

    [Fact]
    public async Task The_fifo_send_rules_fail_each_entry_with_the_engines_code()
    {
        QueueClient fifo = Client.GetQueue("rules.fifo");
        await fifo.CreateAsync(Fifo);
        QueueClient standard = Client.GetQueue("rules-standard");
        await standard.CreateAsync();

        IReadOnlyList<SendResult> results = await fifo.SendBatchAsync(
        [
            Message("ok", "g1", "d1"),
            Message("no group", null, "d2"),
            Message("delayed", "g1", "d3") with { Delay = TimeSpan.FromSeconds(1) },
            Message("no id", "g1", null),
        ]);
        Assert.Equal([ErrorCode.None, ErrorCode.MissingParameter, ErrorCode.InvalidParameterValue, ErrorCode.InvalidParameterValue], results.Select(r => r.Code));

        var noGroup = await Assert.ThrowsAsync<LogQueueException>(() => fifo.SendAsync(Message("x", null, "d9")));
        Assert.Equal(ErrorCode.MissingParameter, noGroup.Code);
        var deduplicated = await Assert.ThrowsAsync<LogQueueException>(() => standard.SendAsync(Message("x", null, "d1")));
        Assert.Equal(ErrorCode.InvalidParameterValue, deduplicated.Code);
    }

    [Fact]
    public async Task A_group_id_on_a_standard_queue_is_accepted_and_comes_back()
    {
        QueueClient queue = Client.GetQueue("fair-standard");
        await queue.CreateAsync();

        await queue.SendAsync("tenant message", "tenant-1", messageDeduplicationId: null);

        QueueMessage received = Assert.Single(await queue.ReceiveAsync(new ReceiveOptions { WaitTime = TimeSpan.Zero }));
        Assert.Equal("tenant-1", received.MessageGroupId);
        Assert.Null(received.MessageDeduplicationId);
    }

    /// <summary>Needs the engine's deduplication window.</summary>
    [Fact]
    public async Task A_duplicate_send_returns_the_originals_message_id_and_sequence()
    {
        QueueClient queue = Client.GetQueue("duplicate.fifo");
        await queue.CreateAsync(Fifo);

        SendMessageResponse first = await queue.SendAsync("once", "g1", "same");
        SendMessageResponse again = await queue.SendAsync("once", "g1", "same");
        IReadOnlyList<SendResult> batch = await queue.SendBatchAsync([Message("once", "g1", "same")]);

        Assert.Equal(first, again);
        Assert.Equal(first.SequenceNumber, batch[0].SequenceNumber);
        Assert.Single(await queue.ReceiveAsync(new ReceiveOptions { WaitTime = TimeSpan.Zero }));
    }

    /// <summary>Needs the engine's receive attempt ids.</summary>
    [Fact]
    public async Task A_retried_receive_with_the_same_attempt_id_returns_the_same_receipt_handles()
    {
        QueueClient queue = Client.GetQueue("attempt.fifo");
        await queue.CreateAsync(Fifo);
        await queue.SendBatchAsync([Message("a", "g1", "d1"), Message("b", "g1", "d2")]);

        var attempt = new ReceiveOptions { WaitTime = TimeSpan.Zero, VisibilityTimeout = TimeSpan.FromMinutes(1), ReceiveRequestAttemptId = "attempt-1" };
        IReadOnlyList<QueueMessage> first = await queue.ReceiveAsync(attempt);
        IReadOnlyList<QueueMessage> retried = await queue.ReceiveAsync(attempt);

        Assert.Equal(["a", "b"], first.Select(m => m.BodyAsString()));
        Assert.Equal(first.Select(m => m.ReceiptHandle), retried.Select(m => m.ReceiptHandle));
    }

    /// <summary>Needs the engine's FIFO delivery.</summary>
    [Fact]
    public async Task Concurrent_producers_awaiting_each_send_see_their_groups_delivered_in_send_order()
    {
        QueueClient queue = Client.GetQueue("order.fifo");
        await queue.CreateAsync(new Dictionary<string, string> { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = "true" });

        // Sixteen producers over four groups share the client, so the network client coalesces their sends.
        var sent = new System.Collections.Concurrent.ConcurrentBag<(string Group, long Sequence)>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < 20; i++)
            {
                SendMessageResponse response = await queue.SendAsync($"{p}:{i}", $"g{p % 4}", messageDeduplicationId: null);
                sent.Add(($"g{p % 4}", response.SequenceNumber));
            }
        })));

        var delivered = new Dictionary<string, List<long>>();
        for (int total = 0; total < 320;)
        {
            IReadOnlyList<QueueMessage> batch = await queue.ReceiveAsync(new ReceiveOptions { MaxNumberOfMessages = 10, WaitTime = TimeSpan.FromSeconds(1) });
            Assert.NotEmpty(batch);
            foreach (QueueMessage m in batch)
            {
                (delivered.TryGetValue(m.MessageGroupId!, out List<long>? list) ? list : delivered[m.MessageGroupId!] = []).Add(m.SequenceNumber);
            }

            await queue.DeleteMessageBatchAsync([.. batch.Select(m => m.ReceiptHandle)]);
            total += batch.Count;
        }

        foreach ((string group, List<long> sequences) in delivered)
        {
            Assert.Equal(sent.Where(s => s.Group == group).Select(s => s.Sequence).Order(), sequences);
        }
    }

    private static OutgoingMessage Message(string body, string? groupId, string? deduplicationId) =>
        new(Encoding.UTF8.GetBytes(body), MessageGroupId: groupId, MessageDeduplicationId: deduplicationId);
}
