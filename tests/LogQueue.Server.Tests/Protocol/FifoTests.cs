using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.Server.Tests.Infrastructure;

namespace LogQueue.Server.Tests.Protocol;

/// <summary>FIFO queues over raw frames on a real server process: attributes, ids both ways, the send rules, attempt ids, order.</summary>
public sealed class FifoTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    private static readonly Dictionary<string, string> Fifo = new() { ["FifoQueue"] = "true" };

    private ProtocolServer Server => fixture.Server;

    [Fact]
    public async Task A_fifo_queue_is_created_with_its_attributes_and_they_read_back_and_change()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();
        await c.CreateQueueAsync("attrs.fifo", new Dictionary<string, string>
        {
            ["FifoQueue"] = "true",
            ["ContentBasedDeduplication"] = "true",
            ["DeduplicationScope"] = "messageGroup",
            ["FifoThroughputLimit"] = "perMessageGroupId",
        });

        IReadOnlyDictionary<string, string> attributes = await AttributesAsync(c, "attrs.fifo");
        Assert.Equal("true", attributes["FifoQueue"]);
        Assert.Equal("true", attributes["ContentBasedDeduplication"]);
        Assert.Equal("messageGroup", attributes["DeduplicationScope"]);
        Assert.Equal("perMessageGroupId", attributes["FifoThroughputLimit"]);

        await c.CallAsync<SetQueueAttributesRequest, EmptyResponse>(new SetQueueAttributesRequest("attrs.fifo", new Dictionary<string, string>
        {
            ["ContentBasedDeduplication"] = "false",
            ["FifoThroughputLimit"] = "perQueue",
        }));
        attributes = await AttributesAsync(c, "attrs.fifo");
        Assert.Equal("false", attributes["ContentBasedDeduplication"]);
        Assert.Equal("perQueue", attributes["FifoThroughputLimit"]);

        // High throughput needs per-group deduplication; the engine's refusal comes back with its code.
        ErrorResponse refused = await c.CallExpectingErrorAsync<CreateQueueRequest, CreateQueueResponse>(new CreateQueueRequest("refused.fifo", new Dictionary<string, string>
        {
            ["FifoQueue"] = "true",
            ["FifoThroughputLimit"] = "perMessageGroupId",
        }));
        Assert.Equal(ErrorCode.InvalidAttributeValue, refused.Code);
    }

    [Fact]
    public async Task A_received_message_carries_its_sequence_group_and_deduplication_id()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();
        Assert.Equal(ProtocolVersion.Current, c.Version);
        await c.CreateQueueAsync("ids.fifo", Fifo);

        SendMessageResponse sent = await SendFifoAsync(c, "ids.fifo", "hello", "g1", "d1");

        ReceivedMessage received = Assert.Single(await c.ReceiveAsync("ids.fifo", visibility: TimeSpan.FromSeconds(30)));
        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal(sent.SequenceNumber, received.SequenceNumber);
        Assert.Equal("g1", received.MessageGroupId);
        Assert.Equal("d1", received.MessageDeduplicationId);
        Assert.Equal("hello", received.BodyText());
    }

    [Fact]
    public async Task Content_based_deduplication_reports_the_body_hash_as_the_deduplication_id()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();
        await c.CreateQueueAsync("content.fifo", new Dictionary<string, string> { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = "true" });

        await SendFifoAsync(c, "content.fifo", "payload", "g1", deduplicationId: null);

        ReceivedMessage received = Assert.Single(await c.ReceiveAsync("content.fifo", visibility: TimeSpan.FromSeconds(30)));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("payload"))), received.MessageDeduplicationId);
    }

    [Fact]
    public async Task A_version_1_client_gets_the_version_1_encoding_with_the_group_and_without_the_deduplication_id()
    {
        await using RawProtocolConnection v1 = await Server.OpenAsync(maxVersion: 1);
        Assert.Equal(1, v1.Version);
        await v1.CreateQueueAsync("old-client.fifo", Fifo);
        SendMessageResponse sent = await SendFifoAsync(v1, "old-client.fifo", "x", "g1", "d1");

        // Decoded in version 1: a version 2 frame would leave two bytes over and fail to decode.
        ReceivedMessage received = Assert.Single(await v1.ReceiveAsync("old-client.fifo", visibility: TimeSpan.FromSeconds(30)));
        Assert.Equal(sent.SequenceNumber, received.SequenceNumber);
        Assert.Equal("g1", received.MessageGroupId);
        Assert.Null(received.MessageDeduplicationId);
        Assert.Equal("x", received.BodyText());
    }

    [Fact]
    public async Task Each_batch_entry_gets_its_own_verdict_on_the_fifo_send_rules()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();
        await c.CreateQueueAsync("rules.fifo", Fifo);
        await c.CreateQueueAsync("rules-standard");

        SendMessageBatchResponse fifo = await c.CallAsync<SendMessageBatchRequest, SendMessageBatchResponse>(new SendMessageBatchRequest("rules.fifo",
        [
            Message("ok", "g1", "d1"),
            Message("no group", null, "d2"),
            Message("delayed", "g1", "d3") with { Delay = TimeSpan.FromSeconds(5) },
            Message("no dedup id", "g1", null),
        ]));
        Assert.True(fifo.Results[0].Succeeded);
        Assert.Equal(ErrorCode.MissingParameter, fifo.Results[1].Code);
        Assert.Contains("MessageGroupId", fifo.Results[1].ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.InvalidParameterValue, fifo.Results[2].Code);
        Assert.Contains("DelaySeconds", fifo.Results[2].ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.InvalidParameterValue, fifo.Results[3].Code);
        Assert.Contains("MessageDeduplicationId", fifo.Results[3].ErrorMessage, StringComparison.Ordinal);

        // On a standard queue a group id is welcome (fair queues) and comes back; a deduplication id is not.
        SendMessageBatchResponse standard = await c.CallAsync<SendMessageBatchRequest, SendMessageBatchResponse>(new SendMessageBatchRequest("rules-standard",
        [
            Message("grouped", "tenant-1", null),
            Message("deduplicated", null, "d1"),
        ]));
        Assert.True(standard.Results[0].Succeeded);
        Assert.Equal(ErrorCode.InvalidParameterValue, standard.Results[1].Code);
        ReceivedMessage grouped = Assert.Single(await c.ReceiveAsync("rules-standard"));
        Assert.Equal("tenant-1", grouped.MessageGroupId);
        Assert.Null(grouped.MessageDeduplicationId);
    }

    [Fact]
    public async Task Single_sends_that_break_the_fifo_rules_get_the_engines_codes()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();
        await c.CreateQueueAsync("single-rules.fifo", Fifo);
        await c.CreateQueueAsync("single-rules-standard");

        ErrorResponse noGroup = await c.CallExpectingErrorAsync<SendMessageRequest, SendMessageResponse>(new SendMessageRequest("single-rules.fifo", Message("x", null, "d1")));
        Assert.Equal(ErrorCode.MissingParameter, noGroup.Code);

        ErrorResponse delayed = await c.CallExpectingErrorAsync<SendMessageRequest, SendMessageResponse>(
            new SendMessageRequest("single-rules.fifo", Message("x", "g1", "d1") with { Delay = TimeSpan.Zero }));
        Assert.Equal(ErrorCode.InvalidParameterValue, delayed.Code);

        ErrorResponse deduplicated = await c.CallExpectingErrorAsync<SendMessageRequest, SendMessageResponse>(new SendMessageRequest("single-rules-standard", Message("x", null, "d1")));
        Assert.Equal(ErrorCode.InvalidParameterValue, deduplicated.Code);
        Assert.Contains("MessageDeduplicationId", deduplicated.Message, StringComparison.Ordinal);
    }

    /// <summary>Needs the engine's deduplication window.</summary>
    [Fact]
    public async Task A_duplicate_send_returns_the_originals_message_id_and_sequence()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();
        await c.CreateQueueAsync("duplicate.fifo", Fifo);

        SendMessageResponse first = await SendFifoAsync(c, "duplicate.fifo", "once", "g1", "same");
        SendMessageResponse again = await SendFifoAsync(c, "duplicate.fifo", "once", "g1", "same");
        SendMessageBatchResponse batch = await c.CallAsync<SendMessageBatchRequest, SendMessageBatchResponse>(
            new SendMessageBatchRequest("duplicate.fifo", [Message("once", "g1", "same")]));

        Assert.Equal(first, again);
        Assert.Equal(SendResult.Success(first.MessageId, first.SequenceNumber), batch.Results[0]);
        ReceivedMessage received = Assert.Single(await c.ReceiveAsync("duplicate.fifo", visibility: TimeSpan.FromSeconds(30)));
        Assert.Equal(first.SequenceNumber, received.SequenceNumber);
    }

    /// <summary>Needs the engine's receive attempt ids.</summary>
    [Fact]
    public async Task A_retried_receive_with_the_same_attempt_id_while_in_flight_returns_the_same_receipt_handles()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();
        await c.CreateQueueAsync("attempt.fifo", Fifo);
        for (int i = 0; i < 3; i++)
        {
            await SendFifoAsync(c, "attempt.fifo", $"m{i}", "g1", $"d{i}");
        }

        var receive = new ReceiveMessageRequest("attempt.fifo", 10, TimeSpan.FromSeconds(60), TimeSpan.Zero, "attempt-1");
        ReceiveMessageResponse first = await c.CallAsync<ReceiveMessageRequest, ReceiveMessageResponse>(receive);
        ReceiveMessageResponse retried = await c.CallAsync<ReceiveMessageRequest, ReceiveMessageResponse>(receive);

        Assert.Equal(["m0", "m1", "m2"], first.Messages.Select(m => m.BodyText()));
        Assert.Equal(first.Messages.Select(m => m.ReceiptHandle), retried.Messages.Select(m => m.ReceiptHandle));
        Assert.Equal(first.Messages.Select(m => m.SequenceNumber), retried.Messages.Select(m => m.SequenceNumber));

        // Another attempt id is a new receive: the group is in flight, so it gets nothing.
        Assert.Empty((await c.CallAsync<ReceiveMessageRequest, ReceiveMessageResponse>(receive with { ReceiveRequestAttemptId = "attempt-2" })).Messages);
    }

    /// <summary>Needs the engine's FIFO delivery (order per group, one batch of a group in flight at a time).</summary>
    [Fact]
    public async Task Each_group_is_delivered_in_send_order_with_concurrent_producers_and_consumers_on_separate_connections()
    {
        const int Groups = 4;
        const int ProducersPerGroup = 3;
        const int PerProducer = 25;
        await using (RawProtocolConnection admin = await Server.OpenAsync())
        {
            await admin.CreateQueueAsync("order.fifo", new Dictionary<string, string> { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = "true" });
        }

        // Each producer awaits each send: its own messages are ordered, and the sequence numbers order the group.
        var acknowledged = new ConcurrentDictionary<long, (string Group, int Producer, int Index)>();
        await Task.WhenAll(Enumerable.Range(0, Groups * ProducersPerGroup).Select(async p =>
        {
            await using RawProtocolConnection c = await Server.OpenAsync();
            string group = $"g{p % Groups}";
            for (int i = 0; i < PerProducer; i++)
            {
                SendMessageResponse sent = await SendFifoAsync(c, "order.fifo", $"{group}:{p}:{i}", group, deduplicationId: null);
                Assert.True(acknowledged.TryAdd(sent.SequenceNumber, (group, p, i)));
            }
        }));

        int total = Groups * ProducersPerGroup * PerProducer;
        var delivered = new ConcurrentDictionary<string, ConcurrentQueue<long>>();
        int remaining = total;
        await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            await using RawProtocolConnection c = await Server.OpenAsync();
            while (Volatile.Read(ref remaining) > 0)
            {
                IReadOnlyList<ReceivedMessage> batch = await c.ReceiveAsync("order.fifo", max: 7, wait: TimeSpan.FromMilliseconds(200), visibility: TimeSpan.FromMinutes(5));
                foreach (ReceivedMessage m in batch)
                {
                    // Recorded before the delete: the group delivers nothing more until then.
                    delivered.GetOrAdd(m.MessageGroupId!, static _ => new ConcurrentQueue<long>()).Enqueue(m.SequenceNumber);
                }

                if (batch.Count > 0)
                {
                    await c.CallAsync<DeleteMessageBatchRequest, BatchResultResponse>(new DeleteMessageBatchRequest("order.fifo", [.. batch.Select(m => m.ReceiptHandle)]));
                    Interlocked.Add(ref remaining, -batch.Count);
                }
            }
        }));

        Assert.Equal(Groups, delivered.Count);
        foreach ((string group, ConcurrentQueue<long> sequences) in delivered)
        {
            long[] expected = [.. acknowledged.Where(a => a.Value.Group == group).Select(a => a.Key).Order()];
            Assert.Equal(expected, sequences.ToArray());
        }
    }

    private static OutgoingMessage Message(string body, string? groupId, string? deduplicationId) =>
        new(Encoding.UTF8.GetBytes(body), MessageGroupId: groupId, MessageDeduplicationId: deduplicationId);

    private static Task<SendMessageResponse> SendFifoAsync(RawProtocolConnection c, string queue, string body, string groupId, string? deduplicationId) =>
        c.CallAsync<SendMessageRequest, SendMessageResponse>(new SendMessageRequest(queue, Message(body, groupId, deduplicationId)));

    private static async Task<IReadOnlyDictionary<string, string>> AttributesAsync(RawProtocolConnection c, string queue) =>
        (await c.CallAsync<GetQueueAttributesRequest, QueueAttributesResponse>(new GetQueueAttributesRequest(queue, ["All"]))).Attributes;
}
