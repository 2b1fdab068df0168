using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;
using LogQueue.TestSupport;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Tests.Recovery;

/// <summary>
/// Damage in a sealed segment: records after it may have been acknowledged, so by default the log refuses
/// to open and names the file and the exact byte offset; truncating there is an operator's explicit choice.
/// </summary>
public class SealedSegmentCorruptionTests
{
    private const long Capacity = 8192;

    private static SegmentedLogOptions Options(bool verifyAll = true, SealedSegmentCorruptionPolicy policy = SealedSegmentCorruptionPolicy.Fail) => new()
    {
        SegmentCapacity = Capacity,
        MaxRecordSize = 1024,
        Durability = DurabilityMode.None,
        VerifyAllSegments = verifyAll,
        SealedSegmentCorruption = policy,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_bad_crc_in_a_sealed_segment_fails_the_open_naming_the_file_and_the_record_offset(int seed)
    {
        using var dir = new TempDirectory("sealed");
        var rng = new Random(seed);
        await WriteRecordsAsync(dir.Path, rng);
        (string path, RecordLocation target) = PickSealedRecord(dir.Path, rng);
        long at = target.PayloadOffset + rng.Next(target.Length - SegmentFile.RecordHeaderSize);
        SegmentFile.FlipByte(path, at, (byte)rng.Next(1, 256));
        IReadOnlyList<string> filesBefore = SegmentFile.List(dir.Path);

        var error = Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(dir.Path, Options()));

        Assert.Equal(ErrorCode.StorageCorrupt, error.Code);
        Assert.Equal(path, error.SegmentPath);
        Assert.True(target.Offset == error.Offset, $"seed {seed}: offset {error.Offset}, the damaged record is at {target.Offset}");
        Assert.Contains("CRC", error.Reason, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);

        // Refusing to open must not repair anything on its own, nor hold on to the files.
        Assert.Equal(filesBefore, SegmentFile.List(dir.Path));
        Assert.Empty(ProcessResources.MappingsUnder(dir.Path));
        Assert.Empty(ProcessResources.DescriptorsUnder(dir.Path));
    }

    [Fact]
    public async Task A_bad_crc_in_a_sealed_segment_is_truncated_when_the_policy_says_so()
    {
        using var dir = new TempDirectory("sealed");
        var rng = new Random(42);
        List<ExpectedRecord> expected = await WriteRecordsAsync(dir.Path, rng);
        (string path, RecordLocation target) = PickSealedRecord(dir.Path, rng);
        SegmentFile.FlipByte(path, target.PayloadOffset + 1, 0x80);
        IReadOnlyList<string> files = SegmentFile.List(dir.Path);
        int damagedIndex = files.ToList().IndexOf(path);

        var logger = new CapturingLogger();
        await using (var log = SegmentedLog.Open(dir.Path, Options(policy: SealedSegmentCorruptionPolicy.Truncate), logger))
        {
            Assert.Equal(target.Sequence, log.NextSequence);
            Assert.Equal(damagedIndex + 1, log.SegmentCount);
            TestRecords.AssertLogHolds(log, expected.GetRange(0, (int)target.Sequence));
        }

        Assert.Equal(files.Take(damagedIndex + 1), SegmentFile.List(dir.Path));
        foreach (string later in files.Skip(damagedIndex + 1))
        {
            Assert.False(File.Exists(later), $"{later} follows the truncation point but was kept");
        }

        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error
            && e.Message.Contains(path, StringComparison.Ordinal)
            && e.Message.Contains($"offset {target.Offset}", StringComparison.Ordinal));

        // The truncated log is a clean log now, under the strict default policy too, and takes appends.
        expected.RemoveRange((int)target.Sequence, expected.Count - (int)target.Sequence);
        await using (var log = SegmentedLog.Open(dir.Path, Options()))
        {
            TestRecords.AssertLogHolds(log, expected);
            ExpectedRecord next = TestRecords.Random(rng, 1024);
            await TestRecords.AppendAllAsync(log, [next], target.Sequence);
            expected.Add(next);
        }

        var second = new CapturingLogger();
        await using (var log = SegmentedLog.Open(dir.Path, Options(), second))
        {
            TestRecords.AssertLogHolds(log, expected, context: "after appending:");
        }

        Assert.DoesNotContain(second.Entries, e => e.Level >= LogLevel.Warning);
    }

    public enum LengthDamage
    {
        Longer,
        Shorter,
        Zero,
        Huge,
        Negative,
        Sequence,
    }

    [Theory]
    [InlineData(LengthDamage.Longer)]
    [InlineData(LengthDamage.Shorter)]
    [InlineData(LengthDamage.Zero)]
    [InlineData(LengthDamage.Huge)]
    [InlineData(LengthDamage.Negative)]
    [InlineData(LengthDamage.Sequence)]
    public async Task A_broken_record_header_in_a_sealed_segment_is_caught_without_VerifyAllSegments(LengthDamage damage)
    {
        using var dir = new TempDirectory("sealed");
        var rng = new Random((int)damage + 10);
        await WriteRecordsAsync(dir.Path, rng);
        (string path, RecordLocation target) = PickSealedRecord(dir.Path, rng);
        uint length = (uint)target.Length;
        switch (damage)
        {
            case LengthDamage.Longer:
                SegmentFile.WriteUInt32(path, target.Offset, length + 8);
                break;
            case LengthDamage.Shorter:
                SegmentFile.WriteUInt32(path, target.Offset, length - 1);
                break;
            case LengthDamage.Zero:
                SegmentFile.WriteUInt32(path, target.Offset, 0);
                break;
            case LengthDamage.Huge:
                SegmentFile.WriteUInt32(path, target.Offset, 0x00FF_FFF8);
                break;
            case LengthDamage.Negative:
                SegmentFile.WriteUInt32(path, target.Offset, 0xFFFF_FFF8);
                break;
            case LengthDamage.Sequence:
                SegmentFile.FlipByte(path, target.Offset + 8, 0x01);
                break;
        }

        var error = Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(dir.Path, Options(verifyAll: false)));

        Assert.Equal(path, error.SegmentPath);
        Assert.Equal(target.Offset, error.Offset);
    }

    [Fact]
    public async Task A_missing_segment_in_the_middle_fails_the_open_or_truncates_before_the_gap()
    {
        using var dir = new TempDirectory("sealed");
        var rng = new Random(77);
        List<ExpectedRecord> expected = await WriteRecordsAsync(dir.Path, rng);
        IReadOnlyList<string> files = SegmentFile.List(dir.Path);
        Assert.True(files.Count >= 4);
        File.Delete(files[2]);
        long gapAt = SegmentFile.BaseSequence(files[2]);
        long endOfSecond = SegmentFile.Records(files[1])[^1].AlignedEnd;

        var error = Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(dir.Path, Options(verifyAll: false)));
        Assert.Equal(files[1], error.SegmentPath);
        Assert.Equal(endOfSecond, error.Offset);

        var logger = new CapturingLogger();
        await using (var log = SegmentedLog.Open(dir.Path, Options(policy: SealedSegmentCorruptionPolicy.Truncate), logger))
        {
            Assert.Equal(2, log.SegmentCount);
            TestRecords.AssertLogHolds(log, expected.GetRange(0, (int)gapAt));
        }

        Assert.Equal(files.Take(2), SegmentFile.List(dir.Path));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(files[1], StringComparison.Ordinal));
    }

    public enum Cut
    {
        /// <summary>A broken length later in the same segment (caught without CRC checks).</summary>
        BrokenLengthLater,

        /// <summary>The next segment file is missing (a gap in the sequences).</summary>
        NextSegmentMissing,
    }

    [Theory]
    [InlineData(Cut.BrokenLengthLater)]
    [InlineData(Cut.NextSegmentMissing)]
    public async Task A_Truncate_cut_never_delivers_a_bad_crc_in_the_segment_that_becomes_the_tail(Cut cut)
    {
        // The segment cut by the Truncate policy becomes the tail, and every CRC of the tail is checked:
        // a record with a bad CRC before the cut must not be delivered.
        using var dir = new TempDirectory("sealed");
        List<ExpectedRecord> expected = await WriteRecordsAsync(dir.Path, new Random(55));
        (string path, RecordLocation bad) = DamageBeforeCut(dir.Path, cut);

        await using var log = SegmentedLog.Open(dir.Path, Options(verifyAll: false, SealedSegmentCorruptionPolicy.Truncate));

        Assert.False(
            log.TryRead(bad.Sequence, out StoredRecord? delivered) && expected[(int)bad.Sequence].Difference(bad.Sequence, delivered) is not null,
            $"record {bad.Sequence} of {path} has a bad CRC and was delivered");
        Assert.Equal(bad.Sequence, log.NextSequence);
    }

    [Theory]
    [InlineData(Cut.BrokenLengthLater)]
    [InlineData(Cut.NextSegmentMissing)]
    public async Task Appends_acknowledged_after_a_Truncate_cut_survive_the_next_open(Cut cut)
    {
        using var dir = new TempDirectory("sealed");
        await WriteRecordsAsync(dir.Path, new Random(66));
        DamageBeforeCut(dir.Path, cut);

        var acknowledged = new List<(long Sequence, ExpectedRecord Record)>();
        SegmentedLogOptions options = Options(verifyAll: false, SealedSegmentCorruptionPolicy.Truncate);
        options.Durability = DurabilityMode.Always;
        var rng = new Random(67);
        await using (var log = SegmentedLog.Open(dir.Path, options))
        {
            for (int i = 0; i < 3; i++)
            {
                // Small, so that they land in the cut segment itself while it has room.
                ExpectedRecord record = TestRecords.Body(TestRecords.NonZeroBytes(rng, 1 + i));
                acknowledged.Add((await log.AppendAsync(record.ToAppendRecord()), record));
            }
        }

        await using (var log = SegmentedLog.Open(dir.Path, options))
        {
            foreach ((long sequence, ExpectedRecord record) in acknowledged)
            {
                Assert.True(log.TryRead(sequence, out StoredRecord? stored), $"record {sequence} was acknowledged (Always) after the first open, and the second open lost it");
                record.AssertMatches(sequence, stored);
            }
        }
    }

    // In sealed segment 1: a bad CRC in its first record's body, then the cut that Truncate acts on.
    private static (string Path, RecordLocation Bad) DamageBeforeCut(string directory, Cut cut)
    {
        IReadOnlyList<string> files = SegmentFile.List(directory);
        string path = files[1];
        IReadOnlyList<RecordLocation> records = SegmentFile.Records(path);
        Assert.True(records.Count >= 3, $"{path} holds only {records.Count} records");
        RecordLocation bad = records[0];
        SegmentFile.FlipByte(path, bad.PayloadOffset + (bad.Length - SegmentFile.RecordHeaderSize) / 2, 0x04);
        if (cut == Cut.BrokenLengthLater)
        {
            SegmentFile.WriteUInt32(path, records[2].Offset, (uint)records[2].Length + 8);
        }
        else
        {
            File.Delete(files[2]);
        }

        return (path, bad);
    }

    [Fact]
    public async Task A_damaged_sealed_segment_header_fails_the_open_whatever_the_policy()
    {
        using var dir = new TempDirectory("sealed");
        var rng = new Random(88);
        await WriteRecordsAsync(dir.Path, rng);
        string sealedSegment = SegmentFile.List(dir.Path)[1];
        SegmentFile.FlipByte(sealedSegment, 20, 0x01); // the base sequence: no longer the file's name

        foreach (SealedSegmentCorruptionPolicy policy in Enum.GetValues<SealedSegmentCorruptionPolicy>())
        {
            var error = Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(dir.Path, Options(verifyAll: false, policy)));
            Assert.Equal(sealedSegment, error.SegmentPath);
            Assert.Equal(0, error.Offset);
        }
    }

    // At least four segments of records with every field set.
    private static async Task<List<ExpectedRecord>> WriteRecordsAsync(string directory, Random rng)
    {
        var records = new List<ExpectedRecord>();
        await using var log = SegmentedLog.Open(directory, Options());
        while (log.SegmentCount < 5)
        {
            ExpectedRecord record = TestRecords.Random(rng, 600);
            Assert.Equal(records.Count, await log.AppendAsync(record.ToAppendRecord()));
            records.Add(record);
        }

        return records;
    }

    // A random record of a random sealed segment (never the newest).
    private static (string Path, RecordLocation Record) PickSealedRecord(string directory, Random rng)
    {
        IReadOnlyList<string> files = SegmentFile.List(directory);
        string path = files[rng.Next(files.Count - 1)];
        IReadOnlyList<RecordLocation> records = SegmentFile.Records(path);
        return (path, records[rng.Next(records.Count)]);
    }
}
