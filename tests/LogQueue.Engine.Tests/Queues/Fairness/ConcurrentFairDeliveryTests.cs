using System.Collections.Concurrent;
using System.Globalization;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Fairness;

public class ConcurrentFairDeliveryTests
{
    [Theory]
    [InlineData(DurabilityMode.Always)]
    [InlineData(DurabilityMode.None)]
    public async Task Concurrent_producers_of_grouped_and_ungrouped_messages_and_long_polling_consumers_get_each_exactly_once(DurabilityMode durability)
    {
        const int Producers = 4;
        const int PerProducer = 200;
        await using TestEngine t = await TestEngine.OpenAsync(durability);
        await t.CreateQueueAsync("q");

        // The clock never moves: no visibility timeout ends, so a message received twice is a bug. Producer 0 is the
        // noisy group, 1 and 2 share a quiet group, 3 sends ungrouped: lanes fill and empty while receives run.
        var received = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var done = new CancellationTokenSource();
        Task[] consumers = [.. Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q", 7, TimeSpan.FromHours(1), TimeSpan.FromSeconds(20), done.Token);
                foreach (ReceivedMessage message in got)
                {
                    received.AddOrUpdate(TestEngine.Body(message), 1, (_, n) => n + 1);
                }
            }
        }))];

        string?[] groups = ["noisy", "quiet", "quiet", null];
        Task[] producers = [.. Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            int batch = p == 0 ? 50 : 5;
            for (int i = 0; i < PerProducer; i += batch)
            {
                await GroupedSends.SendAsync(t, "q", groups[p], batch, string.Create(CultureInfo.InvariantCulture, $"{p}-{i}-"));
            }
        }))];

        await Task.WhenAll(producers).WaitAsync(TestEngine.Bound);
        bool all = await TestSupport.Poll.UntilAsync(() => received.Count == Producers * PerProducer);
        await done.CancelAsync();
        await Task.WhenAll(consumers).WaitAsync(TestEngine.Bound);

        Assert.True(all, $"received {received.Count} of {Producers * PerProducer}");
        Assert.All(received, pair => Assert.Equal(1, pair.Value));
        Assert.Equal((0, Producers * PerProducer, 0), t.Counts("q"));
    }
}
