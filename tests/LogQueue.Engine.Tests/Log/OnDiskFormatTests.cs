using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;
using LogQueue.TestSupport;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Tests.Log;

/// <summary>Whole segment files through the public API: what a log writes, and what it reads, are the golden bytes.</summary>
public class OnDiskFormatTests
{
    [Fact]
    public async Task A_new_log_writes_the_golden_header_and_record_to_its_first_segment()
    {
        using var dir = new TempDirectory("golden");
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(TestRecords.Epoch));
        string segment;
        await using (var log = SegmentedLog.Open(dir.Path, new SegmentedLogOptions { SegmentCapacity = 8192, MaxRecordSize = 1024 }, timeProvider: clock))
        {
            Assert.Equal(0, await log.AppendAsync(GoldenBytes.Fields(timestamp: 0)));
            segment = Assert.Single(SegmentFile.List(log.Directory));
        }

        byte[] file = await File.ReadAllBytesAsync(segment);
        Assert.Equal("00000000000000000000.seg", Path.GetFileName(segment));
        Assert.Equal(8192, file.Length);
        Assert.Equal(GoldenBytes.Header0, Convert.ToHexString(file, 0, 64));
        Assert.Equal(GoldenBytes.Record0, Convert.ToHexString(file, 64, 56));
        Assert.Equal(-1, file.AsSpan(120).IndexOfAnyExcept((byte)0));
    }

    [Fact]
    public async Task A_hand_made_segment_of_golden_bytes_opens_and_reads()
    {
        using var dir = new TempDirectory("golden");
        byte[] file = new byte[8192];
        Convert.FromHexString(GoldenBytes.Header42).CopyTo(file, 0);
        Convert.FromHexString(GoldenBytes.Record42).CopyTo(file, 64);
        await File.WriteAllBytesAsync(dir.Combine("00000000000000000042.seg"), file);

        var logger = new CapturingLogger();
        await using var log = SegmentedLog.Open(dir.Path, new SegmentedLogOptions { SegmentCapacity = 8192, MaxRecordSize = 1024, VerifyAllSegments = true }, logger);

        Assert.Equal(42, log.FirstSequence);
        Assert.Equal(43, log.NextSequence);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.True(log.TryRead(42, out StoredRecord? stored));
        GoldenBytes.Expected(GoldenBytes.Record42Timestamp).AssertMatches(42, stored);
        Assert.Equal(43, await log.AppendAsync(new AppendRecord("next"u8.ToArray())));
    }
}
