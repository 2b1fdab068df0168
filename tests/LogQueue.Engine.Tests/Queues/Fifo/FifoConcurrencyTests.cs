using System.Collections.Concurrent;
using System.Globalization;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Fifo;

/// <summary>
/// Many producers per group (singles and batches) and many consumers (batches, long polls, deletes), all at once.
/// The clock never moves, so no visibility timeout ends: every message must be delivered exactly once, each group
/// in sequence order and in each producer's send order, and never while another message of its group is held by
/// a consumer.
/// </summary>
public class FifoConcurrencyTests
{
    [Theory]
    [InlineData(false, 4, 3, 40, 4, DurabilityMode.Always)]
    [InlineData(false, 4, 3, 40, 4, DurabilityMode.None)]
    [InlineData(true, 4, 3, 40, 4, DurabilityMode.Always)]
    [InlineData(true, 200, 1, 10, 8, DurabilityMode.None)]
    public async Task Order_per_group_holds_under_concurrent_producers_and_consumers(
        bool highThroughput, int groups, int producersPerGroup, int perProducer, int consumers, DurabilityMode durability)
    {
        await using TestEngine t = await TestEngine.OpenAsync(durability);
        await t.CreateFifoAsync("q.fifo", highThroughput);
        int total = groups * producersPerGroup * perProducer;

        var delivered = new ConcurrentDictionary<string, List<(long Sequence, string Body)>>(StringComparer.Ordinal);
        var holders = new Dictionary<string, int>(StringComparer.Ordinal);
        var violations = new ConcurrentQueue<string>();
        int received = 0;
        using var done = new CancellationTokenSource();

        Task[] consumerTasks = [.. Enumerable.Range(0, consumers).Select(c => Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q.fifo", 1 + (c % 5), TimeSpan.FromHours(1), TimeSpan.FromSeconds(20), done.Token);
                if (got.Count == 0)
                {
                    continue;
                }

                string[] groupsHeld = [.. got.Select(m => m.MessageGroupId!).Distinct()];
                lock (holders)
                {
                    foreach (string group in groupsHeld)
                    {
                        if (!holders.TryAdd(group, c))
                        {
                            violations.Enqueue($"group {group} delivered to consumer {c} while consumer {holders[group]} holds it");
                        }
                    }
                }

                foreach (ReceivedMessage message in got)
                {
                    List<(long, string)> list = delivered.GetOrAdd(message.MessageGroupId!, _ => []);
                    lock (list)
                    {
                        list.Add((message.SequenceNumber, TestEngine.Body(message)));
                    }
                }

                // Released before the delete: once deleted, the group may go to another consumer at once.
                lock (holders)
                {
                    foreach (string group in groupsHeld)
                    {
                        holders.Remove(group);
                    }
                }

                IReadOnlyList<BatchResultEntry<bool>> deleted = await t.Engine.DeleteMessageBatchAsync(
                    "q.fifo", [.. got.Select((m, i) => (i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle))]);
                if (deleted.Any(r => !r.Succeeded))
                {
                    violations.Enqueue("a delete failed");
                }

                if (Interlocked.Add(ref received, got.Count) >= total)
                {
                    await done.CancelAsync();
                }
            }
        }))];

        Task[] producerTasks = [.. Enumerable.Range(0, groups * producersPerGroup).Select(p => Task.Run(async () =>
        {
            string group = $"g{p % groups}";
            for (int i = 0; i < perProducer;)
            {
                if (i % 10 == 0 && i + 5 <= perProducer)
                {
                    var batch = Enumerable.Range(i, 5).Select(k => (k.ToString(CultureInfo.InvariantCulture), FifoQueues.Request(group, $"{group}/p{p}/{k}"))).ToList();
                    Assert.All(await t.Engine.SendMessageBatchAsync("q.fifo", batch), r => Assert.True(r.Succeeded));
                    i += 5;
                }
                else
                {
                    await t.Engine.SendMessageAsync("q.fifo", FifoQueues.Request(group, $"{group}/p{p}/{i}"));
                    i++;
                }
            }
        }))];

        await Task.WhenAll(producerTasks).WaitAsync(TimeSpan.FromSeconds(60));
        await Task.WhenAll(consumerTasks).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(violations);
        Assert.Equal(total, delivered.Values.Sum(l => l.Count));
        Assert.Equal(groups, delivered.Count);
        foreach ((string group, List<(long Sequence, string Body)> list) in delivered)
        {
            // Strictly rising sequences: in log order, and none delivered twice.
            Assert.True(list.Zip(list.Skip(1)).All(pair => pair.First.Sequence < pair.Second.Sequence), $"group {group} out of sequence order");

            // Each producer's messages in the order it sent them, none missing.
            foreach (IGrouping<string, int> producer in list.Select(m => m.Body.Split('/')).GroupBy(parts => parts[1], parts => int.Parse(parts[2], CultureInfo.InvariantCulture)))
            {
                Assert.Equal(Enumerable.Range(0, perProducer), producer);
            }
        }

        Assert.Equal((0, 0, 0), t.Counts("q.fifo"));
    }
}
