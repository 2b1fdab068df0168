using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Deduplication;

public class ConcurrentDeduplicationTests
{
    [Fact]
    public async Task Concurrent_sends_of_one_key_store_one_message_and_all_return_its_id()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<SendMessageResult>[] sends = [.. Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await FifoQueue.SendAsync(t, "body " + i, "same");
        }))];

        start.SetResult();
        SendMessageResult[] results = await Task.WhenAll(sends);

        Assert.Single(results.Select(r => r.MessageId).Distinct());
        Assert.Single(await FifoQueue.DrainAsync(t));
    }

    [Fact]
    public async Task Many_producers_repeating_overlapping_keys_store_each_key_once()
    {
        const int Keys = 200;
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t, ("DeduplicationScope", "messageGroup"));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Eight producers send every key, each in its own order, some singly and some in batches.
        Task<List<(string Key, long Sequence)>>[] producers = [.. Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            await start.Task;
            var sent = new List<(string Key, long Sequence)>();
            int[] order = [.. Enumerable.Range(0, Keys).OrderBy(k => (k * 7919 + p * 104729) % Keys)];
            for (int i = 0; i < order.Length; i += 4)
            {
                string[] keys = [.. order.Skip(i).Take(4).Select(k => "k" + k)];
                if (p % 2 == 0)
                {
                    foreach (string key in keys)
                    {
                        sent.Add((key, (await FifoQueue.SendAsync(t, key, key, group: "g" + (key.Length % 3))).SequenceNumber));
                    }
                }
                else
                {
                    IReadOnlyList<BatchResultEntry<SendMessageResult>> batch = await t.Engine.SendMessageBatchAsync(
                        FifoQueue.Name,
                        [.. keys.Select(key => (key, new SendMessageRequest(System.Text.Encoding.UTF8.GetBytes(key), MessageGroupId: "g" + (key.Length % 3), MessageDeduplicationId: key)))]);
                    sent.AddRange(batch.Select(r => (r.Id, r.Result!.SequenceNumber)));
                }
            }

            return sent;
        }))];

        start.SetResult();
        (string Key, long Sequence)[] all = [.. (await Task.WhenAll(producers)).SelectMany(s => s)];

        // Every producer got the same sequence for a key, and the queue holds each key exactly once.
        Assert.All(all.GroupBy(s => s.Key), key => Assert.Single(key.Select(s => s.Sequence).Distinct()));
        List<ReceivedMessage> drained = await FifoQueue.DrainAsync(t);
        Assert.Equal(Keys, drained.Count);
        Assert.Equal(Keys, drained.Select(TestEngine.Body).Distinct().Count());
    }

    [Fact]
    public async Task A_duplicate_inside_a_batch_returns_the_earlier_entrys_id()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t);
        SendMessageResult stored = await FifoQueue.SendAsync(t, "before", "s");

        IReadOnlyList<BatchResultEntry<SendMessageResult>> results = await t.Engine.SendMessageBatchAsync(FifoQueue.Name,
        [
            ("1", Request("a1", "a")),
            ("2", Request("b1", "b")),
            ("3", Request("a2", "a")),
            ("4", Request("s2", "s")),
            ("5", Request("c1", "c")),
            ("6", Request("b2", "b")),
        ]);

        Assert.All(results, r => Assert.True(r.Succeeded));
        long[] sequences = [.. results.Select(r => r.Result!.SequenceNumber)];
        Assert.Equal(sequences[0], sequences[2]);
        Assert.Equal(sequences[1], sequences[5]);
        Assert.Equal(stored.SequenceNumber, sequences[3]);
        Assert.Equal(["before", "a1", "b1", "c1"], (await FifoQueue.DrainAsync(t)).Select(TestEngine.Body));
    }

    [Fact]
    public async Task Batches_claiming_the_same_keys_in_opposite_orders_do_not_deadlock()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await FifoQueue.CreateAsync(t);
        Task[] batches = [.. Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            string first = "x" + (i / 2), second = "y" + (i / 2);
            (string, SendMessageRequest)[] entries = i % 2 == 0
                ? [("1", Request(first, first)), ("2", Request(second, second))]
                : [("1", Request(second, second)), ("2", Request(first, first))];
            await t.Engine.SendMessageBatchAsync(FifoQueue.Name, entries);
        }))];

        await Task.WhenAll(batches).WaitAsync(TestEngine.Bound);
        Assert.Equal(40, FifoQueue.Stored(t));
    }

    private static SendMessageRequest Request(string body, string deduplicationId) =>
        new(System.Text.Encoding.UTF8.GetBytes(body), MessageGroupId: "g", MessageDeduplicationId: deduplicationId);
}
