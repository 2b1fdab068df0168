using LogQueue.Engine.Log;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Log;

public class SegmentedLogDisposeTests
{
    private static readonly SegmentedLogOptions Options = new() { SegmentCapacity = 8192, MaxRecordSize = 1024, Durability = DurabilityMode.Always };

    [Fact]
    public async Task After_dispose_every_operation_fails_with_Closed()
    {
        using var dir = new TempDirectory("dispose");
        var log = SegmentedLog.Open(dir.Path, Options);
        await log.AppendAsync(new AppendRecord("x"u8.ToArray()));
        await log.DisposeAsync();

        var record = new AppendRecord("y"u8.ToArray());
        AssertClosed(() => log.TryAppend(record, out _));
        AssertClosed(() => log.TryAppend(new[] { record }, out _));
        AssertClosed(() => log.TryAppend(ReadOnlySpan<AppendRecord>.Empty, out _));
        await AssertClosedAsync(() => log.AppendAsync(record).AsTask());
        await AssertClosedAsync(() => log.AppendBatchAsync(new[] { record }).AsTask());
        AssertClosed(() => log.TryRead(0, out _));
        int state = 0;
        AssertClosed(() => log.TryRead(0, ref state, static (in RecordView _, ref int s) => s++));
        AssertClosed(() => log.ReadRange(0, 10, ref state, static (in RecordView _, ref int s) => ++s > 0));
        AssertClosed(() => log.ReadFrom(0).ToList());
        AssertClosed(() => log.RemoveSegmentsBefore(long.MaxValue));
        AssertClosed(() => _ = log.FirstSequence);
        await AssertClosedAsync(() => log.FlushAsync());
        Assert.Equal(0, state);
    }

    [Fact]
    public async Task Dispose_twice_is_harmless()
    {
        using var dir = new TempDirectory("dispose");
        var log = SegmentedLog.Open(dir.Path, Options);
        await log.AppendAsync(new AppendRecord("x"u8.ToArray()));

        await log.DisposeAsync();
        await log.DisposeAsync();
        await Task.WhenAll(log.DisposeAsync().AsTask(), log.DisposeAsync().AsTask());

        await using var reopened = SegmentedLog.Open(dir.Path, Options);
        Assert.Equal(1, reopened.NextSequence);
    }

    [Fact]
    public async Task Appends_racing_dispose_either_complete_durably_or_fail_with_Closed()
    {
        using var dir = new TempDirectory("dispose");
        var log = SegmentedLog.Open(dir.Path, Options);
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<long, byte[]>();
        var unexpected = new System.Collections.Concurrent.ConcurrentQueue<Exception>();

        Task[] writers = [.. Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (int i = 0; ; i++)
            {
                byte[] body = [(byte)writer, (byte)i, (byte)(i >> 8), 0xAB];
                try
                {
                    long sequence = await log.AppendAsync(new AppendRecord(body));
                    acknowledged[sequence] = body;
                }
                catch (LogQueueException ex) when (ex.Code == ErrorCode.Closed)
                {
                    return;
                }
                catch (Exception ex)
                {
                    unexpected.Enqueue(ex);
                    return;
                }
            }
        }))];

        Assert.True(await Poll.UntilAsync(() => acknowledged.Count >= 20));
        await log.DisposeAsync();
        await Task.WhenAll(writers);

        Assert.Empty(unexpected);
        await using var reopened = SegmentedLog.Open(dir.Path, Options);
        foreach ((long sequence, byte[] body) in acknowledged)
        {
            Assert.True(reopened.TryRead(sequence, out StoredRecord? stored), $"acknowledged record {sequence} is gone");
            Assert.Equal(body, stored.Body.ToArray());
        }
    }

    private static void AssertClosed(Action action) =>
        Assert.Equal(ErrorCode.Closed, Assert.Throws<LogQueueException>(action).Code);

    private static void AssertClosed(Func<object> action) =>
        Assert.Equal(ErrorCode.Closed, Assert.Throws<LogQueueException>(action).Code);

    private static async Task AssertClosedAsync(Func<Task> action) =>
        Assert.Equal(ErrorCode.Closed, (await Assert.ThrowsAsync<LogQueueException>(action)).Code);
}
