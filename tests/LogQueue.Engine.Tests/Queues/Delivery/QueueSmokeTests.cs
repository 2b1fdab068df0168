using System.Text;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using LogQueue.TestSupport;
using Microsoft.Extensions.Options;

namespace LogQueue.Engine.Tests.Queues.Delivery;

public class QueueSmokeTests
{
    [Fact]
    public async Task Send_receive_delete_and_redeliver_after_visibility_timeout()
    {
        using var dir = new TempDirectory();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var options = Options.Create(new QueueEngineOptions { DataDirectory = dir.Path, Durability = DurabilityMode.Always, SegmentCapacity = 4 << 20 });
        await using (QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock))
        {
            await engine.CreateQueueAsync("orders");
            SendMessageResult sent = await engine.SendMessageAsync("orders", new SendMessageRequest(Encoding.UTF8.GetBytes("hello")));
            IReadOnlyList<ReceivedMessage> got = await engine.ReceiveMessageAsync("orders", new ReceiveMessageRequest(10, TimeSpan.FromSeconds(30)));
            Assert.Single(got);
            Assert.Equal(sent.MessageId, got[0].MessageId);
            Assert.Equal(1, got[0].ApproximateReceiveCount);
            Assert.Empty(await engine.ReceiveMessageAsync("orders", new ReceiveMessageRequest(10)));

            clock.Advance(TimeSpan.FromSeconds(31));
            IReadOnlyList<ReceivedMessage> again = await engine.ReceiveMessageAsync("orders", new ReceiveMessageRequest(10));
            Assert.Single(again);
            Assert.Equal(2, again[0].ApproximateReceiveCount);
            await Assert.ThrowsAsync<LogQueueException>(() => engine.DeleteMessageAsync("orders", got[0].ReceiptHandle));
            await engine.DeleteMessageAsync("orders", again[0].ReceiptHandle);
            clock.Advance(TimeSpan.FromSeconds(60));
            Assert.Empty(await engine.ReceiveMessageAsync("orders", new ReceiveMessageRequest(10)));

            await engine.SendMessageAsync("orders", new SendMessageRequest(Encoding.UTF8.GetBytes("second")));
        }

        await using (QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock))
        {
            IReadOnlyList<ReceivedMessage> got = await engine.ReceiveMessageAsync("orders", new ReceiveMessageRequest(10));
            Assert.Single(got);
            Assert.Equal("second", Encoding.UTF8.GetString(got[0].Body.Span));
        }
    }

    [Fact]
    public async Task Long_poll_is_woken_by_a_send()
    {
        using var dir = new TempDirectory();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var options = Options.Create(new QueueEngineOptions { DataDirectory = dir.Path, Durability = DurabilityMode.None, SegmentCapacity = 4 << 20 });
        await using QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock);
        await engine.CreateQueueAsync("q");
        Task<IReadOnlyList<ReceivedMessage>> waiting = engine.ReceiveMessageAsync("q", new ReceiveMessageRequest(1, WaitTime: TimeSpan.FromSeconds(20)));
        Assert.False(waiting.IsCompleted);
        await engine.SendMessageAsync("q", new SendMessageRequest(new byte[] { 1 }));
        IReadOnlyList<ReceivedMessage> got = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(got);

        Task<IReadOnlyList<ReceivedMessage>> timesOut = engine.ReceiveMessageAsync("q", new ReceiveMessageRequest(1, WaitTime: TimeSpan.FromSeconds(20)));
        clock.Advance(TimeSpan.FromSeconds(21));
        Assert.Empty(await timesOut.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
