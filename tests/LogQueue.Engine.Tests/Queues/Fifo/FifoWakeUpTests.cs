using System.Diagnostics;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;
using LogQueue.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LogQueue.Engine.Tests.Queues.Fifo;

/// <summary>
/// Long polls on FIFO queues are woken exactly when there is something to give, and not in a loop when there is not:
/// a dead-letter move that fails, a wall clock that lags the timer wheel, a move task between queues of two kinds.
/// </summary>
public class FifoWakeUpTests
{
    [Fact]
    public async Task A_failing_dead_letter_move_is_not_retried_in_a_loop_for_a_waiting_long_poll()
    {
        using var dir = new TempDirectory("fifo-wake");
        var clock = new ManualTimeProvider();
        var logs = new MissingQueueCounter();
        QueueEngine engine = await QueueEngine.OpenAsync(Options.Create(new QueueEngineOptions { DataDirectory = dir.Path }), logs, clock);
        await using (engine)
        {
            await engine.CreateQueueAsync("dlq.fifo", new Dictionary<string, string> { ["FifoQueue"] = "true" });
            await engine.CreateQueueAsync("src.fifo", new Dictionary<string, string> { ["FifoQueue"] = "true", ["RedrivePolicy"] = DeadLetterQueueTests.Policy("dlq.fifo", 1) });
            await engine.SendMessageAsync("src.fifo", FifoQueues.Request("a", "poison"));
            Assert.Single(await engine.ReceiveMessageAsync("src.fifo", new ReceiveMessageRequest(1, TimeSpan.FromSeconds(10))));
            clock.Advance(TimeSpan.FromSeconds(10));
            await engine.DeleteQueueAsync("dlq.fifo");

            // The long poll finds the head over maxReceiveCount, tries the move, which fails: the dead-letter queue is gone.
            Task<IReadOnlyList<ReceivedMessage>> poll = engine.ReceiveMessageAsync("src.fifo", new ReceiveMessageRequest(1, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)));
            var waited = Stopwatch.StartNew();
            while (Volatile.Read(ref logs.Count) == 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(10);
            }

            // A loop (serve the waiter, pick the head, fail, put it back, serve the waiter...) made 140,000 attempts a
            // second; without it the head waits for the next receive.
            await Task.Delay(300);
            Assert.InRange(Volatile.Read(ref logs.Count), 1, 3);
            Assert.False(poll.IsCompleted);
        }
    }

    [Fact]
    public async Task A_long_poll_on_a_delayed_queue_is_served_when_the_delay_ends_even_if_the_wall_clock_stepped_back()
    {
        using var dir = new TempDirectory("fifo-wake");
        var wheelClock = new ManualTimeProvider();
        var clock = new SkewedClock(wheelClock);
        QueueEngine engine = await QueueEngine.OpenAsync(Options.Create(new QueueEngineOptions { DataDirectory = dir.Path }), null, clock);
        await using (engine)
        {
            await engine.CreateQueueAsync("d.fifo", new Dictionary<string, string> { ["FifoQueue"] = "true", ["DelaySeconds"] = "2" });
            await engine.SendMessageAsync("d.fifo", FifoQueues.Request("a", "m"));
            Task<IReadOnlyList<ReceivedMessage>> poll = engine.ReceiveMessageAsync("d.fifo", new ReceiveMessageRequest(1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20)));
            Assert.False(poll.IsCompleted);

            clock.WallOffset = TimeSpan.FromSeconds(-1); // NTP steps the wall clock back; the wheel's clock is monotonic
            wheelClock.Advance(TimeSpan.FromSeconds(2.1)); // the scan's timer fires while the wall clock says "not yet"
            wheelClock.Advance(TimeSpan.FromSeconds(1.5)); // due by both clocks now

            IReadOnlyList<ReceivedMessage> served = await poll.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("m", TestEngine.Body(Assert.Single(served)));
        }
    }

    [Fact]
    public async Task A_move_task_between_a_fifo_and_a_standard_queue_is_refused()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("a.fifo");
        await t.CreateQueueAsync("b");

        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<LogQueueException>(() => t.Engine.StartMessageMoveTask("a.fifo", "b")).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<LogQueueException>(() => t.Engine.StartMessageMoveTask("b", "a.fifo")).Code);
    }

    private sealed class SkewedClock(ManualTimeProvider inner) : TimeProvider
    {
        public TimeSpan WallOffset { get; set; }

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + WallOffset;

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime, period);
    }

    // Counts the warnings that a dead-letter queue does not exist: one per move tried.
    private sealed class MissingQueueCounter : ILoggerFactory, ILogger
    {
        public int Count;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).Contains("does not exist", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref Count);
            }
        }
    }
}
