using System.Globalization;
using System.Text;
using LogQueue.Client.Tests.Integration.Infrastructure;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.TestSupport;

namespace LogQueue.Client.Tests.Integration;

/// <summary>The embedded and the network client run the same script and must report the same results.</summary>
[Trait("Category", "Integration")]
public sealed class ClientParityTests(RealServerFixture fixture) : IClassFixture<RealServerFixture>, IDisposable
{
    private static readonly ReceiveOptions NoWait = new() { WaitTime = TimeSpan.Zero, MaxNumberOfMessages = 10 };

    // Attributes whose values depend on when the script ran.
    private static readonly HashSet<string> TimeDependent = ["CreatedTimestamp", "LastModifiedTimestamp"];

    private readonly TempDirectory _directory = new("parity");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_same_script_gives_the_same_transcript_on_both_clients()
    {
        List<string> remote = await RunScriptAsync(fixture.Client);
        List<string> embedded;
        await using (EmbeddedLogQueueClient client = await EmbeddedLogQueueClient.OpenAsync(_directory.Path))
        {
            embedded = await RunScriptAsync(client);
        }

        Assert.Equal(embedded, remote);
    }

    private static async Task<List<string>> RunScriptAsync(ILogQueueClient client)
    {
        var transcript = new List<string>();
        void Note(string line) => transcript.Add(line);

        async Task Expect(string what, Func<Task> call)
        {
            try
            {
                await call();
                Note($"{what}: ok");
            }
            catch (LogQueueException ex)
            {
                Note($"{what}: {ex.Code}");
            }
        }

        await client.CreateQueueAsync("parity-dlq");
        await client.CreateQueueAsync("parity", new Dictionary<string, string>
        {
            ["VisibilityTimeout"] = "120",
            ["DelaySeconds"] = "0",
            ["MaximumMessageSize"] = "1024",
            ["RedrivePolicy"] = """{"deadLetterTargetArn":"arn:aws:sqs:local:000000000000:parity-dlq","maxReceiveCount":"2"}""",
        });
        Note("queues: " + string.Join(",", await client.ListQueuesAsync("parity")));
        IReadOnlyDictionary<string, string> attributes = await client.GetQueueAttributesAsync("parity");
        Note("attributes: " + string.Join(";", attributes.Where(a => !TimeDependent.Contains(a.Key)).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}")));

        var messageAttributes = new Dictionary<string, MessageAttribute>
        {
            ["s"] = MessageAttribute.FromString("text"),
            ["n"] = MessageAttribute.FromNumber("1.5"),
            ["b"] = MessageAttribute.FromBinary(new byte[] { 9, 8, 7 }, "bin"),
        };
        SendMessageResponse first = await client.SendMessageAsync("parity", new OutgoingMessage("first"u8.ToArray(), messageAttributes));
        IReadOnlyList<SendResult> batch = await client.SendMessageBatchAsync("parity",
        [
            new OutgoingMessage("second"u8.ToArray()),
            new OutgoingMessage("deduplicated"u8.ToArray(), MessageDeduplicationId: "d"),
            new OutgoingMessage(new byte[2048]),
        ]);
        Note("batch: " + string.Join(",", batch.Select(r => r.Code)));
        Note($"sequence: first {first.SequenceNumber}, second {batch[0].SequenceNumber}");

        IReadOnlyList<QueueMessage> received = await client.ReceiveMessagesAsync("parity", NoWait);
        foreach (QueueMessage m in received.OrderBy(m => m.SequenceNumber))
        {
            Note($"received: {m.BodyAsString()} #{m.SequenceNumber} x{m.ReceiveCount} "
                + string.Join(";", m.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value.DataType}:{a.Value.StringValue}:{Convert.ToHexString(a.Value.BinaryValue.Span)}")));
        }

        QueueMessage firstMessage = received.Single(m => m.SequenceNumber == first.SequenceNumber);
        QueueMessage secondMessage = received.Single(m => m.SequenceNumber != first.SequenceNumber);
        await Expect("release second", () => secondMessage.ReleaseAsync());
        await Expect("delete first", () => firstMessage.DeleteAsync());
        await Expect("delete first again", () => firstMessage.DeleteAsync());
        await Expect("delete garbage", () => client.DeleteMessageAsync("parity", "garbage"));
        await Expect("visibility too long", () => client.ChangeMessageVisibilityAsync("parity", secondMessage.ReceiptHandle, TimeSpan.FromHours(13)));
        IReadOnlyList<EntryResult> deletes = await client.DeleteMessageBatchAsync("parity", [firstMessage.ReceiptHandle, "garbage"]);
        Note("delete batch: " + string.Join(",", deletes.Select(r => r.Code)));
        await Expect("empty batch", () => client.SendMessageBatchAsync("parity", []));
        await Expect("missing queue", () => client.SendMessageAsync("parity-missing", new OutgoingMessage("x"u8.ToArray())));
        await Expect("bad attribute name", () => client.GetQueueAttributesAsync("parity", ["NoSuchAttribute"]));
        await Expect("bad queue name", () => client.CreateQueueAsync("bad name!"));

        // The second receive of "second" is its last before the dead-letter queue takes it.
        QueueMessage again = Assert.Single(await client.ReceiveMessagesAsync("parity", NoWait with { VisibilityTimeout = TimeSpan.Zero }));
        Note($"again: {again.BodyAsString()} x{again.ReceiveCount}");
        Note("after redrive: " + (await client.ReceiveMessagesAsync("parity", NoWait)).Count.ToString(CultureInfo.InvariantCulture));
        QueueMessage dead = Assert.Single(await client.ReceiveMessagesAsync("parity-dlq", NoWait));
        Note($"dead: {dead.BodyAsString()} from {dead.DeadLetterSourceQueue} x{dead.ReceiveCount}");

        StatsResponse stats = await client.GetStatsAsync();
        Note("stats: " + string.Join(",", stats.Queues.Where(q => q.QueueName.StartsWith("parity", StringComparison.Ordinal)).OrderBy(q => q.QueueName, StringComparer.Ordinal)));
        await client.DeleteQueueAsync("parity");
        Note("queues after delete: " + string.Join(",", await client.ListQueuesAsync("parity")));

        await RunFifoStepsAsync(client, Note, Expect);
        return transcript;
    }

    private static async Task RunFifoStepsAsync(ILogQueueClient client, Action<string> note, Func<string, Func<Task>, Task> expect)
    {
        await client.CreateQueueAsync("parity-dlq.fifo", new Dictionary<string, string> { ["FifoQueue"] = "true" });
        await client.CreateQueueAsync("parity.fifo", new Dictionary<string, string>
        {
            ["FifoQueue"] = "true",
            ["ContentBasedDeduplication"] = "true",
            ["DeduplicationScope"] = "messageGroup",
            ["FifoThroughputLimit"] = "perMessageGroupId",
            ["RedrivePolicy"] = """{"deadLetterTargetArn":"arn:aws:sqs:local:000000000000:parity-dlq.fifo","maxReceiveCount":"5"}""",
        });
        IReadOnlyDictionary<string, string> attributes = await client.GetQueueAttributesAsync("parity.fifo");
        note("fifo attributes: " + string.Join(";", attributes.Where(a => !TimeDependent.Contains(a.Key)).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}")));

        SendMessageResponse first = await client.SendMessageAsync("parity.fifo", new OutgoingMessage("a"u8.ToArray(), MessageGroupId: "g1", MessageDeduplicationId: "d-a"));
        SendMessageResponse duplicate = await client.SendMessageAsync("parity.fifo", new OutgoingMessage("a"u8.ToArray(), MessageGroupId: "g1", MessageDeduplicationId: "d-a"));
        note($"fifo duplicate: #{first.SequenceNumber} then #{duplicate.SequenceNumber}");
        IReadOnlyList<SendResult> batch = await client.SendMessageBatchAsync("parity.fifo",
        [
            new OutgoingMessage("b"u8.ToArray(), MessageGroupId: "g1"),
            new OutgoingMessage("c"u8.ToArray(), MessageGroupId: "g2", MessageDeduplicationId: "d-c"),
            new OutgoingMessage("no group"u8.ToArray(), MessageDeduplicationId: "d-x"),
            new OutgoingMessage("delayed"u8.ToArray(), Delay: TimeSpan.FromSeconds(1), MessageGroupId: "g1", MessageDeduplicationId: "d-y"),
        ]);
        note("fifo batch: " + string.Join(",", batch.Select(r => r.Succeeded ? $"#{r.SequenceNumber}" : r.Code.ToString())));
        await expect("fifo without group", () => client.SendMessageAsync("parity.fifo", new OutgoingMessage("x"u8.ToArray(), MessageDeduplicationId: "d-z")));
        await expect("standard dead-letter queue for fifo", () => client.CreateQueueAsync("parity-wrong.fifo", new Dictionary<string, string>
        {
            ["FifoQueue"] = "true",
            ["RedrivePolicy"] = """{"deadLetterTargetArn":"arn:aws:sqs:local:000000000000:parity-dlq","maxReceiveCount":"5"}""",
        }));

        var attempt = new ReceiveOptions { WaitTime = TimeSpan.Zero, MaxNumberOfMessages = 10, VisibilityTimeout = TimeSpan.FromMinutes(2), ReceiveRequestAttemptId = "attempt-1" };
        IReadOnlyList<QueueMessage> received = await client.ReceiveMessagesAsync("parity.fifo", attempt);
        foreach (QueueMessage m in received.OrderBy(m => m.SequenceNumber))
        {
            note($"fifo received: {m.BodyAsString()} #{m.SequenceNumber} group {m.MessageGroupId} dedup {m.MessageDeduplicationId}");
        }

        IReadOnlyList<QueueMessage> retried = await client.ReceiveMessagesAsync("parity.fifo", attempt);
        note($"fifo retried attempt: {retried.Count} messages, same handles: {retried.Select(m => m.ReceiptHandle).SequenceEqual(received.Select(m => m.ReceiptHandle))}");
        await client.DeleteQueueAsync("parity.fifo");
        await client.DeleteQueueAsync("parity-dlq.fifo");
    }
}
