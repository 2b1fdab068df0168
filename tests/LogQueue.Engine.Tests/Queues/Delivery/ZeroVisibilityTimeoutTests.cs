using System.Text;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using LogQueue.TestSupport;
using Microsoft.Extensions.Options;

namespace LogQueue.Engine.Tests.Queues.Delivery;

public class ZeroVisibilityTimeoutTests
{
    [Fact]
    public async Task A_receive_with_visibility_timeout_zero_returns_each_message_once()
    {
        using var dir = new TempDirectory();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var options = Options.Create(new QueueEngineOptions { DataDirectory = dir.Path, Durability = DurabilityMode.None, SegmentCapacity = 4 << 20 });
        await using QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock);
        await engine.CreateQueueAsync("q");
        await engine.SendMessageAsync("q", new SendMessageRequest(Encoding.UTF8.GetBytes("a")));
        await engine.SendMessageAsync("q", new SendMessageRequest(Encoding.UTF8.GetBytes("b")));

        IReadOnlyList<ReceivedMessage> first = await engine.ReceiveMessageAsync("q", new ReceiveMessageRequest(10, TimeSpan.Zero));
        Assert.Equal(["a", "b"], first.Select(m => Encoding.UTF8.GetString(m.Body.Span)));
        Assert.All(first, m => Assert.Equal(1, m.ApproximateReceiveCount));

        // Visible again at once: the next receive returns both, each counted once more.
        IReadOnlyList<ReceivedMessage> second = await engine.ReceiveMessageAsync("q", new ReceiveMessageRequest(10, TimeSpan.Zero));
        Assert.Equal(["a", "b"], second.Select(m => Encoding.UTF8.GetString(m.Body.Span)));
        Assert.All(second, m => Assert.Equal(2, m.ApproximateReceiveCount));
    }

    [Fact]
    public async Task A_message_released_with_visibility_timeout_zero_is_visible_at_once()
    {
        using var dir = new TempDirectory();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var options = Options.Create(new QueueEngineOptions { DataDirectory = dir.Path, Durability = DurabilityMode.None, SegmentCapacity = 4 << 20 });
        await using QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock);
        await engine.CreateQueueAsync("q");
        await engine.SendMessageAsync("q", new SendMessageRequest(Encoding.UTF8.GetBytes("a")));

        // Time passes with nothing due, so the engine's timer wheel has not moved its clock.
        clock.Advance(TimeSpan.FromMinutes(5));
        ReceivedMessage received = Assert.Single(await engine.ReceiveMessageAsync("q", new ReceiveMessageRequest(1, TimeSpan.FromMinutes(10))));
        engine.ChangeMessageVisibility("q", received.ReceiptHandle, TimeSpan.Zero);
        ReceivedMessage again = Assert.Single(await engine.ReceiveMessageAsync("q", new ReceiveMessageRequest(1, TimeSpan.FromMinutes(10))));
        Assert.Equal(received.MessageId, again.MessageId);
        Assert.Equal(2, again.ApproximateReceiveCount);
    }
}
