using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Log;

/// <summary>When DurableSequence moves, per durability mode. (That a durable record survives kill -9 is the crash tests' job.)</summary>
public class SegmentedLogDurabilityTests
{
    private static SegmentedLogOptions Options(DurabilityMode mode) =>
        new() { SegmentCapacity = 8192, MaxRecordSize = 1024, Durability = mode, FlushInterval = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task Always_an_append_completes_only_once_it_is_durable()
    {
        using var dir = new TempDirectory("durability");
        await using var log = SegmentedLog.Open(dir.Path, Options(DurabilityMode.Always));
        Assert.Equal(DurabilityMode.Always, log.Durability);
        var rng = new Random(1);
        for (int i = 0; i < 40; i++)
        {
            long sequence = await log.AppendAsync(TestRecords.Random(rng, 1024).ToAppendRecord());
            Assert.True(log.DurableSequence > sequence, $"append {sequence} completed with DurableSequence {log.DurableSequence}");

            long first = await log.AppendBatchAsync(new[] { TestRecords.Random(rng, 300).ToAppendRecord(), TestRecords.Random(rng, 300).ToAppendRecord() });
            Assert.True(log.DurableSequence > first + 1, $"batch {first}..{first + 1} completed with DurableSequence {log.DurableSequence}");
        }

        Assert.True(log.SegmentCount > 3);
    }

    [Fact]
    public async Task Always_concurrent_appends_each_complete_durable()
    {
        using var dir = new TempDirectory("durability");
        await using var log = SegmentedLog.Open(dir.Path, Options(DurabilityMode.Always));
        var violations = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            var rng = new Random(writer);
            for (int i = 0; i < 30; i++)
            {
                long sequence = await log.AppendAsync(TestRecords.Random(rng, 500).ToAppendRecord());
                if (log.DurableSequence <= sequence)
                {
                    Interlocked.Increment(ref violations);
                }
            }
        })));

        Assert.Equal(0, violations);
        Assert.Equal(240, log.NextSequence);
        Assert.Equal(240, log.DurableSequence);
    }

    [Fact]
    public async Task None_records_become_durable_only_when_flushed()
    {
        using var dir = new TempDirectory("durability");
        await using var log = SegmentedLog.Open(dir.Path, Options(DurabilityMode.None));
        var rng = new Random(2);
        Assert.Equal(0, log.DurableSequence);

        for (int i = 0; i < 30; i++)
        {
            await log.AppendAsync(TestRecords.Random(rng, 1024).ToAppendRecord());
        }

        // Nothing flushes in None mode on its own, segment rolls included.
        Assert.True(log.SegmentCount > 1);
        Assert.Equal(0, log.DurableSequence);

        await log.FlushAsync();
        Assert.Equal(30, log.DurableSequence);

        Assert.True(log.TryAppend(new AppendRecord("x"u8.ToArray()), out long sequence));
        Assert.Equal(30, log.DurableSequence);
        await log.WaitForDurableAsync(sequence);
        Assert.True(log.DurableSequence > sequence);
    }

    [Fact]
    public async Task Reopening_starts_with_everything_recovered_durable()
    {
        using var dir = new TempDirectory("durability");
        var rng = new Random(3);
        await using (var log = SegmentedLog.Open(dir.Path, Options(DurabilityMode.None)))
        {
            await TestRecords.AppendAllAsync(log, Enumerable.Range(0, 20).Select(_ => TestRecords.Random(rng, 500)));
        }

        await using (var log = SegmentedLog.Open(dir.Path, Options(DurabilityMode.None)))
        {
            Assert.Equal(20, log.NextSequence);
            Assert.Equal(20, log.DurableSequence);
            await log.WaitForDurableAsync(19);
        }
    }

    [Fact]
    public async Task WaitForDurableAsync_refuses_a_sequence_not_yet_appended()
    {
        using var dir = new TempDirectory("durability");
        await using var log = SegmentedLog.Open(dir.Path, Options(DurabilityMode.None));
        await log.AppendAsync(new AppendRecord("x"u8.ToArray()));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.WaitForDurableAsync(1));
        await log.WaitForDurableAsync(0);
        Assert.Equal(1, log.DurableSequence);
    }

    [Fact]
    public async Task Interval_a_background_flush_follows_the_clock_passing_the_interval()
    {
        using var dir = new TempDirectory("durability");
        var clock = new ManualTimeProvider();
        SegmentedLogOptions options = Options(DurabilityMode.Interval);
        await using var log = SegmentedLog.Open(dir.Path, options, timeProvider: clock);
        var rng = new Random(4);

        for (int round = 1; round <= 3; round++)
        {
            long sequence = 0;
            for (int i = 0; i < 10; i++)
            {
                sequence = await log.AppendAsync(TestRecords.Random(rng, 500).ToAppendRecord());
            }

            // Appends in Interval mode return at once, before any flush.
            Assert.True(log.DurableSequence <= sequence, $"round {round}: durable before the interval passed");

            // The flush loop's timer is created on a background thread, so keep the clock moving until it fires.
            bool flushed = await Poll.UntilAsync(() => log.DurableSequence > sequence, beforeEachCheck: () => clock.Advance(options.FlushInterval));
            Assert.True(flushed, $"round {round}: no background flush; DurableSequence {log.DurableSequence}, sequence {sequence}");
            Assert.Equal(log.NextSequence, log.DurableSequence);
        }
    }

    [Fact]
    public async Task Cancelling_an_Always_append_stops_the_wait_not_the_append()
    {
        using var dir = new TempDirectory("durability");
        ExpectedRecord record = TestRecords.Body("cancelled wait"u8.ToArray());
        await using (var log = SegmentedLog.Open(dir.Path, Options(DurabilityMode.Always)))
        {
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.AppendAsync(record.ToAppendRecord(), cancelled.Token).AsTask());

            Assert.Equal(1, log.NextSequence);
            await log.WaitForDurableAsync(0);
        }

        await using var reopened = SegmentedLog.Open(dir.Path, Options(DurabilityMode.Always));
        TestRecords.AssertLogHolds(reopened, [record]);
    }

    [Fact]
    public async Task Dispose_flushes_in_None_mode()
    {
        using var dir = new TempDirectory("durability");
        var rng = new Random(5);
        List<ExpectedRecord> expected = [.. Enumerable.Range(0, 25).Select(_ => TestRecords.Random(rng, 900))];
        var log = SegmentedLog.Open(dir.Path, Options(DurabilityMode.None));
        await TestRecords.AppendAllAsync(log, expected);
        Assert.Equal(0, log.DurableSequence);

        await log.DisposeAsync();

        Assert.Equal(25, log.DurableSequence);
        await using var reopened = SegmentedLog.Open(dir.Path, Options(DurabilityMode.None));
        TestRecords.AssertLogHolds(reopened, expected);
    }
}
