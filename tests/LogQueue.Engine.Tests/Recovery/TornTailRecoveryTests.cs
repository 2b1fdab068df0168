using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;
using LogQueue.TestSupport;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Tests.Recovery;

/// <summary>
/// Damage in the newest segment, where a crash leaves it: recovery keeps exactly the records before the
/// damage, byte for byte, drops the damaged record and everything after it, says so in a warning that names
/// the file, and leaves a log that takes new appends and recovers to the same state again.
/// </summary>
public class TornTailRecoveryTests
{
    private static readonly SegmentedLogOptions Options = new() { SegmentCapacity = 16384, MaxRecordSize = 1024, Durability = DurabilityMode.None };

    public enum Damage
    {
        /// <summary>Zero bytes from a random offset inside a record to the end of the file (pages that never reached the disk).</summary>
        ZeroFromInsideRecord,

        /// <summary>Flip one random byte inside a record (a torn or rotten sector).</summary>
        FlipByteInsideRecord,

        /// <summary>Random non-zero bytes at a random offset after the last record (the remains of a write that never finished).</summary>
        GarbageAfterLastRecord,
    }

    public static TheoryData<Damage, int> DamageAndSeed()
    {
        var data = new TheoryData<Damage, int>();
        foreach (Damage damage in Enum.GetValues<Damage>())
        {
            for (int seed = 1; seed <= 8; seed++)
            {
                data.Add(damage, seed * 7919 + (int)damage);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DamageAndSeed))]
    public async Task Recovery_keeps_exactly_the_records_before_the_damage(Damage damage, int seed)
    {
        var rng = new Random(seed);
        using var dir = new TempDirectory("torn");
        List<ExpectedRecord> expected = await WriteRecordsAsync(dir.Path, rng, 40 + rng.Next(40));

        string newest = SegmentFile.List(dir.Path)[^1];
        IReadOnlyList<RecordLocation> records = SegmentFile.Records(newest);
        Assert.NotEmpty(records);
        (long survivors, long truncatedAt, string what) = Inflict(damage, newest, records, rng);
        string context = $"seed {seed}, {what}:";

        var logger = new CapturingLogger();
        await using (var log = SegmentedLog.Open(dir.Path, Options, logger))
        {
            Assert.True(log.NextSequence == survivors, $"{context} NextSequence {log.NextSequence}, expected {survivors}");
            TestRecords.AssertLogHolds(log, expected.GetRange(0, (int)survivors), context: context);
            Assert.Equal(survivors - log.FirstSequence, ReadRangeCount(log));
        }

        LogEntry warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.True(warning.Message.Contains(newest, StringComparison.Ordinal), $"{context} the warning does not name {newest}: {warning.Message}");
        Assert.True(warning.Message.Contains($"offset {truncatedAt}", StringComparison.Ordinal), $"{context} the warning does not name offset {truncatedAt}: {warning.Message}");
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Error);

        // Recovering again finds a clean log: same records, nothing more to say.
        expected.RemoveRange((int)survivors, expected.Count - (int)survivors);
        await AssertRecoversCleanlyAsync(dir.Path, expected, $"{context} second recovery:");

        // Appends go on from the truncation point and survive a close and reopen.
        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            List<ExpectedRecord> more = [.. Enumerable.Range(0, 12).Select(_ => TestRecords.Random(rng, 1024))];
            await TestRecords.AppendAllAsync(log, more, survivors);
            expected.AddRange(more);
        }

        await AssertRecoversCleanlyAsync(dir.Path, expected, $"{context} after appending:");
    }

    [Fact]
    public async Task A_record_whose_length_was_never_written_is_dropped_with_a_warning()
    {
        // A whole record behind a zero length: what a power loss leaves when the page with the length never
        // reached the disk and the pages after it did. Recovery must not take the bytes after it for the
        // clean end of the log.
        var rng = new Random(101);
        using var dir = new TempDirectory("torn");
        List<ExpectedRecord> expected = await WriteRecordsAsync(dir.Path, rng, 30);
        string newest = SegmentFile.List(dir.Path)[^1];
        RecordLocation last = SegmentFile.Records(newest)[^1];
        SegmentFile.WriteUInt32(newest, last.Offset, 0);

        var logger = new CapturingLogger();
        await using (var log = SegmentedLog.Open(dir.Path, Options, logger))
        {
            TestRecords.AssertLogHolds(log, expected.GetRange(0, (int)last.Sequence));
        }

        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(newest, StringComparison.Ordinal));
        await AssertRecoversCleanlyAsync(dir.Path, expected.GetRange(0, (int)last.Sequence), "second recovery:");
    }

    [Fact]
    public async Task Damage_to_the_first_record_of_the_newest_segment_leaves_it_empty_and_usable()
    {
        var rng = new Random(202);
        using var dir = new TempDirectory("torn");
        List<ExpectedRecord> expected = await WriteRecordsAsync(dir.Path, rng, 60);
        IReadOnlyList<string> files = SegmentFile.List(dir.Path);
        Assert.True(files.Count >= 2);
        string newest = files[^1];
        RecordLocation first = SegmentFile.Records(newest)[0];
        SegmentFile.FlipByte(newest, first.PayloadOffset, 0x01);

        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            Assert.Equal(SegmentFile.BaseSequence(newest), log.NextSequence);
            Assert.Equal(files.Count, log.SegmentCount);
            TestRecords.AssertLogHolds(log, expected.GetRange(0, (int)first.Sequence));
            expected.RemoveRange((int)first.Sequence, expected.Count - (int)first.Sequence);
            ExpectedRecord next = TestRecords.Random(rng, 1024);
            await TestRecords.AppendAllAsync(log, [next], first.Sequence);
            expected.Add(next);
        }

        await AssertRecoversCleanlyAsync(dir.Path, expected, "after appending:");
    }

    [Fact]
    public async Task A_zeroed_header_of_the_newest_segment_is_rewritten_and_its_records_kept()
    {
        // The header page of a segment that had just gone live may not reach the disk before a power loss,
        // while later pages do. Every record is still checked by its CRC, so none is lost.
        var rng = new Random(303);
        using var dir = new TempDirectory("torn");
        List<ExpectedRecord> expected = await WriteRecordsAsync(dir.Path, rng, 50);
        string newest = SegmentFile.List(dir.Path)[^1];
        SegmentFile.Write(newest, 0, new byte[SegmentFile.HeaderSize]);

        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            TestRecords.AssertLogHolds(log, expected);
        }

        byte[] header = (await File.ReadAllBytesAsync(newest))[..SegmentFile.HeaderSize];
        Assert.Null(SegmentHeader.Validate(header, SegmentFile.BaseSequence(newest), Options.SegmentCapacity));
        await AssertRecoversCleanlyAsync(dir.Path, expected, "second recovery:");
    }

    [Fact]
    public async Task A_damaged_header_of_the_newest_segment_fails_the_open_naming_the_file()
    {
        var rng = new Random(404);
        using var dir = new TempDirectory("torn");
        await WriteRecordsAsync(dir.Path, rng, 50);
        string newest = SegmentFile.List(dir.Path)[^1];
        SegmentFile.FlipByte(newest, 33, 0x40); // the creation time: only the header CRC notices

        var error = Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(dir.Path, Options));

        Assert.Equal(newest, error.SegmentPath);
        Assert.Equal(0, error.Offset);
        Assert.Equal(ErrorCode.StorageCorrupt, error.Code);
        Assert.True(File.Exists(newest), "a segment the log could not open was deleted");
        Assert.Empty(ProcessResources.MappingsUnder(dir.Path));
    }

    // Damages the newest segment; returns how many records must survive and the offset recovery must cut at.
    private static (long Survivors, long TruncatedAt, string What) Inflict(Damage damage, string path, IReadOnlyList<RecordLocation> records, Random rng)
    {
        if (damage == Damage.GarbageAfterLastRecord)
        {
            long end = records[^1].AlignedEnd;
            long room = Options.SegmentCapacity - end;
            Assert.True(room > 0, "the newest segment is full; pick another seed");
            long offset = end + rng.NextInt64(room);
            int length = (int)Math.Min(1 + rng.Next(64), Options.SegmentCapacity - offset);
            SegmentFile.Write(path, offset, TestRecords.NonZeroBytes(rng, length));
            return (records[^1].Sequence + 1, end, $"{length} garbage bytes at {offset}, last record ends at {end}");
        }

        RecordLocation target = records[^(1 + rng.Next(Math.Min(3, records.Count)))];
        if (damage == Damage.ZeroFromInsideRecord)
        {
            // Strictly inside: from the record's first byte the log would just look shorter, which is fine but
            // not damage; the bodies end in a non-zero byte, so zeroing from here always changes the record.
            long offset = target.Offset + 1 + rng.Next(target.Length - 1);
            SegmentFile.ZeroFrom(path, offset);
            return (target.Sequence, target.Offset, $"zeroed from {offset} inside record {target.Sequence} at {target.Offset}");
        }

        long at = target.Offset + rng.Next(target.Length);
        byte mask = (byte)rng.Next(1, 256);
        SegmentFile.FlipByte(path, at, mask);
        return (target.Sequence, target.Offset, $"flipped byte {at} with 0x{mask:x2} in record {target.Sequence} at {target.Offset}");
    }

    private static async Task<List<ExpectedRecord>> WriteRecordsAsync(string directory, Random rng, int count)
    {
        List<ExpectedRecord> records = [.. Enumerable.Range(0, count).Select(_ => TestRecords.Random(rng, rng.Next(3) == 0 ? 1024 : 400))];
        await using var log = SegmentedLog.Open(directory, Options);
        await TestRecords.AppendAllAsync(log, records);
        return records;
    }

    private static async Task AssertRecoversCleanlyAsync(string directory, IReadOnlyList<ExpectedRecord> expected, string context)
    {
        var logger = new CapturingLogger();
        await using (var log = SegmentedLog.Open(directory, Options, logger))
        {
            TestRecords.AssertLogHolds(log, expected, context: context);
        }

        Assert.True(!logger.Entries.Any(e => e.Level >= LogLevel.Warning), $"{context} {string.Join("; ", logger.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message))}");
    }

    private static long ReadRangeCount(SegmentedLog log)
    {
        int count = 0;
        return log.ReadRange(0, int.MaxValue, ref count, static (in RecordView _, ref int state) => ++state > 0);
    }
}
