using System.Collections.Concurrent;
using System.Globalization;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class ConcurrentDeliveryTests
{
    [Theory]
    [InlineData(DurabilityMode.Always)]
    [InlineData(DurabilityMode.None)]
    public async Task Concurrent_senders_and_long_polling_receivers_get_every_message_exactly_once(DurabilityMode durability)
    {
        const int Senders = 4;
        const int PerSender = 50;
        await using TestEngine t = await TestEngine.OpenAsync(durability);
        await t.CreateQueueAsync("q");

        // The clock never moves: no visibility timeout ends, so a message received twice is a bug.
        var received = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var done = new CancellationTokenSource();
        Task[] receivers = [.. Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q", 3, TimeSpan.FromHours(1), TimeSpan.FromSeconds(20), done.Token);
                foreach (ReceivedMessage message in got)
                {
                    received.AddOrUpdate(TestEngine.Body(message), 1, (_, n) => n + 1);
                }
            }
        }))];

        Task[] senders = [.. Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            for (int i = 0; i < PerSender; i += 5)
            {
                if (i % 10 == 0)
                {
                    await t.SendAsync("q", string.Create(CultureInfo.InvariantCulture, $"{s}-{i}"));
                    for (int k = 1; k < 5; k++)
                    {
                        await t.SendAsync("q", string.Create(CultureInfo.InvariantCulture, $"{s}-{i + k}"));
                    }
                }
                else
                {
                    await t.Engine.SendMessageBatchAsync("q", [.. Enumerable.Range(i, 5).Select(k => (
                        "e" + k.ToString(CultureInfo.InvariantCulture),
                        new SendMessageRequest(System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{s}-{k}")))))]);
                }
            }
        }))];

        await Task.WhenAll(senders).WaitAsync(TestEngine.Bound);
        bool all = await TestSupport.Poll.UntilAsync(() => received.Count == Senders * PerSender);
        await done.CancelAsync();
        await Task.WhenAll(receivers).WaitAsync(TestEngine.Bound);

        Assert.True(all, $"received {received.Count} of {Senders * PerSender}");
        Assert.All(received, pair => Assert.Equal(1, pair.Value));
        Assert.Equal((0, Senders * PerSender, 0), t.Counts("q"));
    }
}
