using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;
using LogQueue.TestSupport;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Tests.Recovery;

/// <summary>What an open does with the directory as a whole: new logs, leftovers, stray and misshapen files.</summary>
public class LogRecoveryTests
{
    private static readonly SegmentedLogOptions Options = new() { SegmentCapacity = 8192, MaxRecordSize = 1024, Durability = DurabilityMode.None };

    [Fact]
    public async Task A_missing_directory_becomes_an_empty_log_with_a_valid_first_segment()
    {
        using var dir = new TempDirectory("recovery");
        string path = dir.Combine("a", "b", "queue");

        await using (var log = SegmentedLog.Open(path, Options))
        {
            Assert.Equal(0, log.FirstSequence);
            Assert.Equal(0, log.NextSequence);
            Assert.Equal(1, log.SegmentCount);
            Assert.False(log.TryRead(0, out _));
        }

        string segment = Assert.Single(SegmentFile.List(path));
        Assert.Equal("00000000000000000000.seg", Path.GetFileName(segment));
        byte[] file = await File.ReadAllBytesAsync(segment);
        Assert.Equal(8192, file.Length);
        Assert.Null(SegmentHeader.Validate(file, 0, 8192));
        Assert.Equal(-1, file.AsSpan(SegmentFile.HeaderSize).IndexOfAnyExcept((byte)0));
    }

    [Fact]
    public async Task Leftover_temporary_files_are_deleted_and_unrelated_files_left_alone()
    {
        using var dir = new TempDirectory("recovery");
        List<ExpectedRecord> expected = [.. Enumerable.Range(0, 30).Select(i => TestRecords.WithPayload(400, i))];
        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            await TestRecords.AppendAllAsync(log, expected);
        }

        // What a crash leaves: a half-made spare and a retired segment, both full of record-like bytes, and a
        // file under a spare's name that is not zero-filled (never made by the engine; refused all the same).
        byte[] garbage = TestRecords.NonZeroBytes(new Random(1), 8192);
        await File.WriteAllBytesAsync(dir.Combine("preparing-5.tmp"), garbage);
        await File.WriteAllBytesAsync(dir.Combine("spare-7.tmp"), garbage);
        await File.WriteAllBytesAsync(dir.Combine("retired-3.tmp"), garbage);
        string[] unrelated = ["notes.txt", "123.seg", "0000000000000000000x.seg", "99999999999999999999.seg"];
        foreach (string name in unrelated)
        {
            await File.WriteAllBytesAsync(dir.Combine(name), garbage);
        }

        var logger = new CapturingLogger();
        await using (var log = SegmentedLog.Open(dir.Path, Options, logger))
        {
            TestRecords.AssertLogHolds(log, expected);
            Assert.False(File.Exists(dir.Combine("preparing-5.tmp")));
            Assert.False(File.Exists(dir.Combine("spare-7.tmp")));
            Assert.False(File.Exists(dir.Combine("retired-3.tmp")));
        }

        Assert.All(unrelated, name => Assert.True(File.Exists(dir.Combine(name)), $"{name} was removed"));
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_newest_segment_with_only_a_header_opens_empty_and_takes_appends()
    {
        using var dir = new TempDirectory("recovery");
        var rng = new Random(2);
        var expected = new List<ExpectedRecord>();
        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            while (log.SegmentCount < 3)
            {
                expected.Add(TestRecords.Random(rng, 1024));
                await log.AppendAsync(expected[^1].ToAppendRecord());
            }
        }

        // Drop the only record of the newest segment as a crash right after the roll would have.
        string newest = SegmentFile.List(dir.Path)[^1];
        Assert.Single(SegmentFile.Records(newest));
        SegmentFile.ZeroFrom(newest, SegmentFile.HeaderSize);
        expected.RemoveAt(expected.Count - 1);

        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            Assert.Equal(3, log.SegmentCount);
            Assert.Equal(SegmentFile.BaseSequence(newest), log.NextSequence);
            TestRecords.AssertLogHolds(log, expected);
            expected.Add(TestRecords.Random(rng, 1024));
            await TestRecords.AppendAllAsync(log, [expected[^1]], expected.Count - 1);
        }

        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            TestRecords.AssertLogHolds(log, expected);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(4000)]
    [InlineData(8193)]
    public async Task A_segment_file_of_an_impossible_size_fails_the_open_naming_it(int size)
    {
        using var dir = new TempDirectory("recovery");
        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            await log.AppendAsync(new AppendRecord("x"u8.ToArray()));
        }

        string segment = SegmentFile.List(dir.Path)[0];
        await using (FileStream file = File.Open(segment, FileMode.Open))
        {
            file.SetLength(size);
        }

        var error = Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(dir.Path, Options));
        Assert.Equal(segment, error.SegmentPath);
        Assert.Equal(0, error.Offset);
        Assert.Equal(size, new FileInfo(segment).Length);
    }

    [Fact]
    public async Task A_stray_segment_overlapping_its_predecessor_fails_the_open()
    {
        using var dir = new TempDirectory("recovery");
        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            await TestRecords.AppendAllAsync(log, Enumerable.Range(0, 40).Select(i => TestRecords.WithPayload(600, i)));
        }

        IReadOnlyList<string> files = SegmentFile.List(dir.Path);
        Assert.True(files.Count >= 3);

        // A copy of the second segment under a name inside the first one's range.
        long inside = SegmentFile.BaseSequence(files[1]) - 1;
        string stray = dir.Combine($"{inside:D20}.seg");
        File.Copy(files[1], stray);

        var error = Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(dir.Path, Options));
        Assert.Equal(files[0], error.SegmentPath);
        Assert.Contains("next segment starts at sequence", error.Reason, StringComparison.Ordinal);
    }
}
