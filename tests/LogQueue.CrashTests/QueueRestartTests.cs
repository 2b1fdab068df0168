using System.Diagnostics;
using System.Globalization;
using System.Text;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using LogQueue.TestSupport;
using Microsoft.Extensions.Options;

namespace LogQueue.CrashTests;

/// <summary>
/// The restart half of the queue guarantees, with a clean close (the engine disposed and reopened
/// in-process on the same data directory, a test clock): messages in flight at the close are visible
/// again after it with their receive counts and first receive times kept, deleted ones stay deleted, and
/// a poison message reaches its dead-letter queue on the receive that would make it N+1 however many
/// restarts it took to get there. <see cref="QueueCrashTests"/> proves the same after SIGKILL.
/// </summary>
[Trait("Category", "Crash")]
public sealed class QueueRestartTests
{
    private const string Queue = "orders";
    private const string DeadLetterQueue = "orders-dlq";
    private static readonly TimeSpan LongVisibility = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Messages_in_flight_at_a_clean_close_are_visible_again_with_their_receive_counts()
    {
        using var dir = new TempDirectory("queue-restart");
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        IOptions<QueueEngineOptions> options = EngineOptions(dir);
        long firstReceive;
        var before = new Dictionary<MessageId, int>();
        var deleted = new HashSet<MessageId>();
        Dictionary<MessageId, string> sent;

        await using (QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock))
        {
            await engine.CreateQueueAsync(Queue);
            sent = await SendAsync(engine, 40);

            // 25 in flight with count 1; then 5 of them released and received again (count 2).
            firstReceive = clock.GetUtcNow().ToUnixTimeMilliseconds();
            List<ReceivedMessage> received = await ReceiveAsync(engine, Queue, 25);
            Assert.Equal(25, received.Count);
            clock.Advance(TimeSpan.FromMinutes(1));
            foreach (ReceivedMessage message in received.Take(5))
            {
                engine.ChangeMessageVisibility(Queue, message.ReceiptHandle, TimeSpan.Zero);
            }

            List<ReceivedMessage> again = await ReceiveAsync(engine, Queue, 5);
            Assert.Equal(received.Take(5).Select(m => m.SequenceNumber).Order(), again.Select(m => m.SequenceNumber).Order());
            Assert.All(again, m => Assert.Equal(2, m.ApproximateReceiveCount));

            // Delete 2 of those received twice (with their new handles) and 8 received once.
            List<ReceivedMessage> toDelete = [.. again.Take(2), .. received.Skip(5).Take(8)];
            foreach (ReceivedMessage message in toDelete)
            {
                await engine.DeleteMessageAsync(Queue, message.ReceiptHandle);
                deleted.Add(message.MessageId);
            }

            foreach (ReceivedMessage message in received.Concat(again).Where(m => !deleted.Contains(m.MessageId)))
            {
                before[message.MessageId] = Math.Max(before.GetValueOrDefault(message.MessageId), message.ApproximateReceiveCount);
            }
        }

        // Well within the 10-minute visibility timeout: only the restart makes the in-flight ones visible.
        clock.Advance(TimeSpan.FromMinutes(1));
        long secondReceive = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using (QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock))
        {
            List<ReceivedMessage> all = await ReceiveAllAsync(engine, Queue);
            Assert.Equal(sent.Keys.Except(deleted).Select(id => id.Sequence).Order(), all.Select(m => m.SequenceNumber).Order());
            foreach (ReceivedMessage message in all)
            {
                Assert.Equal(sent[message.MessageId], Encoding.UTF8.GetString(message.Body.Span));
                if (before.TryGetValue(message.MessageId, out int count))
                {
                    Assert.Equal(count + 1, message.ApproximateReceiveCount);
                    Assert.Equal(firstReceive, message.ApproximateFirstReceiveTimestamp);
                }
                else
                {
                    Assert.Equal(1, message.ApproximateReceiveCount);
                    Assert.Equal(secondReceive, message.ApproximateFirstReceiveTimestamp);
                }

                before[message.MessageId] = message.ApproximateReceiveCount;
            }
        }

        // All 30 were in flight at this close: they come back once more, counting on; then delete them.
        await using (QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock))
        {
            List<ReceivedMessage> all = await ReceiveAllAsync(engine, Queue);
            Assert.Equal(30, all.Count);
            Assert.All(all, m => Assert.Equal(before[m.MessageId] + 1, m.ApproximateReceiveCount));
            foreach (ReceivedMessage message in all)
            {
                await engine.DeleteMessageAsync(Queue, message.ReceiptHandle);
            }
        }

        await using (QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock))
        {
            Assert.Empty(await ReceiveAllAsync(engine, Queue));
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    public async Task A_poison_message_moves_to_its_dead_letter_queue_on_receive_N_plus_1_across_clean_restarts(int maxReceiveCount, bool releaseWithinASession)
    {
        using var dir = new TempDirectory("queue-restart");
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        IOptions<QueueEngineOptions> options = EngineOptions(dir);
        MessageId poison;
        await using (QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock))
        {
            await engine.CreateQueueAsync(DeadLetterQueue);
            await engine.CreateQueueAsync(Queue, new Dictionary<string, string>
            {
                ["RedrivePolicy"] = string.Create(CultureInfo.InvariantCulture, $$"""{"deadLetterTargetArn":"{{DeadLetterQueue}}","maxReceiveCount":{{maxReceiveCount}}}"""),
            });
            poison = (await engine.SendMessageAsync(Queue, new SendMessageRequest(Encoding.UTF8.GetBytes("poison")))).MessageId;
            await engine.SendMessageAsync(Queue, new SendMessageRequest(Encoding.UTF8.GetBytes("healthy")));
        }

        // Receive it maxReceiveCount times, closing the engine after each receive (the message is in flight at
        // every close), or, in the other variant, releasing it within one session until the last receive.
        for (int count = 1; count <= maxReceiveCount;)
        {
            await using QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock);
            while (true)
            {
                ReceivedMessage message = await ReceivePoisonAsync(engine, poison);
                Assert.Equal(count, message.ApproximateReceiveCount);
                if (++count > maxReceiveCount || !releaseWithinASession)
                {
                    break;
                }

                engine.ChangeMessageVisibility(Queue, message.ReceiptHandle, TimeSpan.Zero);
            }
        }

        // Receive N+1 moves it, after the restart as much as without one.
        await using (QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock))
        {
            ReceivedMessage healthy = Assert.Single(await ReceiveAllAsync(engine, Queue));
            Assert.Equal("healthy", Encoding.UTF8.GetString(healthy.Body.Span));
            await engine.DeleteMessageAsync(Queue, healthy.ReceiptHandle);
            ReceivedMessage dead = Assert.Single(await ReceiveAllAsync(engine, DeadLetterQueue));
            Assert.Equal("poison", Encoding.UTF8.GetString(dead.Body.Span));
            Assert.Equal(Queue, dead.DeadLetterSourceQueue);
            Assert.Equal(1, dead.ApproximateReceiveCount);
        }

        // And it stays moved: another restart neither brings it back to the source nor moves it twice.
        await using (QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock))
        {
            Assert.Empty(await ReceiveAllAsync(engine, Queue));
            ReceivedMessage dead = Assert.Single(await ReceiveAllAsync(engine, DeadLetterQueue));
            Assert.Equal(2, dead.ApproximateReceiveCount);
        }
    }

    private static IOptions<QueueEngineOptions> EngineOptions(TempDirectory dir) =>
        Options.Create(new QueueEngineOptions
        {
            DataDirectory = dir.Path,
            Durability = DurabilityMode.Always,
            SegmentCapacity = 64 << 10,
            MaxAllowedMessageSize = 4 << 10,
        });

    private static async Task<Dictionary<MessageId, string>> SendAsync(QueueEngine engine, int count)
    {
        var sent = new Dictionary<MessageId, string>();
        for (int first = 0; first < count; first += 10)
        {
            (string Id, SendMessageRequest Request)[] batch =
            [
                .. Enumerable.Range(first, Math.Min(10, count - first))
                    .Select(i => (i.ToString(CultureInfo.InvariantCulture), new SendMessageRequest(Encoding.UTF8.GetBytes($"m{i}")))),
            ];
            IReadOnlyList<BatchResultEntry<SendMessageResult>> results = await engine.SendMessageBatchAsync(Queue, batch);
            for (int i = 0; i < batch.Length; i++)
            {
                sent.Add(results[i].Result!.MessageId, $"m{first + i}");
            }
        }

        return sent;
    }

    // Receives up to count messages with a long visibility timeout, in receives of at most 10.
    private static async Task<List<ReceivedMessage>> ReceiveAsync(QueueEngine engine, string queue, int count)
    {
        var received = new List<ReceivedMessage>();
        while (received.Count < count)
        {
            IReadOnlyList<ReceivedMessage> batch = await engine.ReceiveMessageAsync(queue, new ReceiveMessageRequest(Math.Min(10, count - received.Count), LongVisibility));
            if (batch.Count == 0)
            {
                break;
            }

            received.AddRange(batch);
        }

        return received;
    }

    // Receives every visible message (and leaves it in flight) until a receive comes back empty.
    private static async Task<List<ReceivedMessage>> ReceiveAllAsync(QueueEngine engine, string queue) =>
        await ReceiveAsync(engine, queue, int.MaxValue);

    // Receives until the poison message comes; the healthy one is released again each time it shows up.
    private static async Task<ReceivedMessage> ReceivePoisonAsync(QueueEngine engine, MessageId poison)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            foreach (ReceivedMessage message in await engine.ReceiveMessageAsync(Queue, new ReceiveMessageRequest(1, LongVisibility)))
            {
                if (message.MessageId == poison)
                {
                    return message;
                }

                engine.ChangeMessageVisibility(Queue, message.ReceiptHandle, TimeSpan.Zero);
            }
        }

        Assert.Fail($"The poison message {poison} was not delivered.");
        throw new UnreachableException();
    }
}
