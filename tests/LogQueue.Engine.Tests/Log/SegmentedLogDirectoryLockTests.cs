using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Log;

/// <summary>One log per directory: two writers would overwrite each other's records.</summary>
public class SegmentedLogDirectoryLockTests
{
    private static readonly SegmentedLogOptions Options = new() { SegmentCapacity = 8192, MaxRecordSize = 1024, Durability = DurabilityMode.Always };

    [Fact]
    public async Task A_second_log_cannot_open_a_directory_that_is_open()
    {
        using var dir = new TempDirectory("dispose");
        var first = SegmentedLog.Open(dir.Path, Options);
        await first.AppendAsync(new AppendRecord("x"u8.ToArray()));

        var error = Assert.Throws<LogQueueException>(() => SegmentedLog.Open(dir.Path, Options));
        Assert.Equal(ErrorCode.StorageInUse, error.Code);

        // The refused open changed nothing: the first log still works, and after it closes the directory opens.
        Assert.Equal(1, await first.AppendAsync(new AppendRecord("y"u8.ToArray())));
        await first.DisposeAsync();
        await using var second = SegmentedLog.Open(dir.Path, Options);
        Assert.Equal(2, second.NextSequence);
    }

    [Fact]
    public async Task A_failed_open_releases_the_directory()
    {
        using var dir = new TempDirectory("lock");
        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            while (log.SegmentCount < 3)
            {
                await log.AppendAsync(new AppendRecord(new byte[700]));
            }
        }

        string sealedSegment = SegmentFile.List(dir.Path)[0];
        SegmentFile.FlipByte(sealedSegment, SegmentFile.HeaderSize + 8, 0x01); // the first record's sequence

        // Each attempt reports the corruption, not a lock left behind by the previous attempt.
        for (int i = 0; i < 3; i++)
        {
            Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(dir.Path, Options));
        }

        SegmentFile.FlipByte(sealedSegment, SegmentFile.HeaderSize + 8, 0x01);
        await using var repaired = SegmentedLog.Open(dir.Path, Options);
        Assert.True(repaired.NextSequence > 0);
    }
}
