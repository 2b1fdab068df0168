using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Log;

/// <summary>RemoveSegmentsBefore: whole sealed segments go, the newest never does, and files do not pile up.</summary>
public class SegmentedLogRetentionTests
{
    private static readonly SegmentedLogOptions Options = new() { SegmentCapacity = 8192, MaxRecordSize = 1024, Durability = DurabilityMode.None };

    [Fact]
    public async Task Removing_moves_the_first_sequence_to_a_segment_boundary()
    {
        using var dir = new TempDirectory("retention");
        var rng = new Random(1);
        List<ExpectedRecord> expected = [.. Enumerable.Range(0, 150).Select(_ => TestRecords.Random(rng, 600))];
        await using var log = SegmentedLog.Open(dir.Path, Options);
        await TestRecords.AppendAllAsync(log, expected);
        long[] bases = [.. SegmentFile.List(dir.Path).Select(SegmentFile.BaseSequence)];
        Assert.True(bases.Length >= 6, $"only {bases.Length} segments");
        Assert.Equal(bases.Length, log.SegmentCount);

        // Below the second segment's base nothing can go: the first segment still holds records at or above it.
        Assert.Equal(0, log.RemoveSegmentsBefore(0));
        Assert.Equal(0, log.RemoveSegmentsBefore(bases[1] - 1));
        Assert.Equal(0, log.FirstSequence);

        // Exactly at a boundary: the two segments wholly below it go.
        Assert.Equal(2, log.RemoveSegmentsBefore(bases[2]));
        AssertFirst(log, bases[2], expected, bases.Length - 2);

        // Inside a segment: only the segments wholly below go, the one holding the sequence stays.
        Assert.Equal(1, log.RemoveSegmentsBefore(bases[4] - 1));
        AssertFirst(log, bases[3], expected, bases.Length - 3);

        // Asking for an earlier point again removes nothing.
        Assert.Equal(0, log.RemoveSegmentsBefore(bases[1]));
        AssertFirst(log, bases[3], expected, bases.Length - 3);
    }

    [Fact]
    public async Task The_newest_segment_is_never_removed()
    {
        using var dir = new TempDirectory("retention");
        var rng = new Random(2);
        List<ExpectedRecord> expected = [.. Enumerable.Range(0, 60).Select(_ => TestRecords.Random(rng, 600))];
        await using var log = SegmentedLog.Open(dir.Path, Options);
        await TestRecords.AppendAllAsync(log, expected);
        long newestBase = SegmentFile.BaseSequence(SegmentFile.List(dir.Path)[^1]);

        Assert.True(log.RemoveSegmentsBefore(long.MaxValue) > 0);

        AssertFirst(log, newestBase, expected, 1);
        Assert.Equal(0, log.RemoveSegmentsBefore(long.MaxValue));
        Assert.Equal(1, log.SegmentCount);

        // The log goes on as before: appends land after the kept records, readable with them.
        ExpectedRecord next = TestRecords.Random(rng, 600);
        Assert.Equal(60, await log.AppendAsync(next.ToAppendRecord()));
        next.AssertMatches(60, log.ReadFrom(60).Single());
    }

    [Fact]
    public async Task A_removal_survives_reopen()
    {
        using var dir = new TempDirectory("retention");
        var rng = new Random(3);
        List<ExpectedRecord> expected = [.. Enumerable.Range(0, 100).Select(_ => TestRecords.Random(rng, 600))];
        long first;
        int segments;
        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            await TestRecords.AppendAllAsync(log, expected);
            Assert.True(log.RemoveSegmentsBefore(50) > 0);
            first = log.FirstSequence;
            segments = log.SegmentCount;
        }

        Assert.Equal(segments, SegmentFile.List(dir.Path).Count);
        Assert.Equal(first, SegmentFile.BaseSequence(SegmentFile.List(dir.Path)[0]));
        // Only complete spares outlive a close (they are reused by the next open).
        Assert.All(Directory.GetFiles(dir.Path, "*.tmp"), f => Assert.StartsWith("spare-", Path.GetFileName(f), StringComparison.Ordinal));
        Assert.True(Directory.GetFiles(dir.Path, "*.tmp").Length <= Options.SpareSegments);

        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            AssertFirst(log, first, expected, segments);
            ExpectedRecord next = TestRecords.Random(rng, 600);
            await TestRecords.AppendAllAsync(log, [next], 100);
        }
    }

    [Fact]
    public async Task A_reader_holding_a_segment_keeps_reading_it_while_it_is_removed()
    {
        using var dir = new TempDirectory("retention");
        var rng = new Random(4);
        List<ExpectedRecord> expected = [.. Enumerable.Range(0, 80).Select(_ => TestRecords.Random(rng, 600))];
        await using var log = SegmentedLog.Open(dir.Path, Options);
        await TestRecords.AppendAllAsync(log, expected);

        // The visitor removes the very segment it is reading, then goes on reading that segment's
        // records in place: the mapping must stay until the read lets go.
        var state = new RemovingReader(log, expected);
        log.ReadRange(0, int.MaxValue, ref state, static (in RecordView record, ref RemovingReader reader) => reader.Visit(record));

        Assert.True(state.Removed > 0);
        Assert.True(state.Visited > 1);
        Assert.Null(state.Problem);
        Assert.True(log.FirstSequence > 0);
        Assert.False(log.TryRead(0, out _));
    }

    [Fact]
    public async Task Many_roll_and_remove_cycles_do_not_pile_up_files()
    {
        using var dir = new TempDirectory("retention");
        var rng = new Random(5);
        var options = new SegmentedLogOptions { SegmentCapacity = 4096, MaxRecordSize = 1024, Durability = DurabilityMode.None, SpareSegments = 2 };
        var kept = new List<ExpectedRecord>();
        long next = 0;
        await using (var log = SegmentedLog.Open(dir.Path, options))
        {
            for (int cycle = 0; cycle < 40; cycle++)
            {
                List<ExpectedRecord> batch = [.. Enumerable.Range(0, 12).Select(_ => TestRecords.Random(rng, 700))];
                await TestRecords.AppendAllAsync(log, batch, next);
                next += batch.Count;
                kept.AddRange(batch);
                Assert.True(log.RemoveSegmentsBefore(next) > 0, $"cycle {cycle} removed nothing");
                Assert.Equal(1, log.SegmentCount);
                kept.RemoveRange(0, (int)(log.FirstSequence - (next - kept.Count)));

                // Retired files become spares or are deleted by a background loop: wait for it to settle,
                // then no more than the configured spares may be left over.
                Assert.True(
                    await Poll.UntilAsync(() => Directory.GetFiles(dir.Path, "*.tmp").Length <= options.SpareSegments),
                    $"cycle {cycle}: {string.Join(", ", Directory.GetFiles(dir.Path).Select(Path.GetFileName))}");
                Assert.Single(SegmentFile.List(dir.Path));
            }

            TestRecords.AssertLogHolds(log, kept, log.FirstSequence);
        }

        // Closing deletes the spares: only the live segment (and the lock file) remain.
        Assert.Equal(
            [Path.GetFileName(SegmentFile.List(dir.Path).Single()), SegmentedLog.LockFileName],
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Where(n => !n!.StartsWith("spare-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.True(Directory.GetFiles(dir.Path, "spare-*.tmp").Length <= options.SpareSegments);
    }

    [Fact]
    public async Task Without_recycling_removed_files_are_deleted()
    {
        using var dir = new TempDirectory("retention");
        var rng = new Random(6);
        var options = new SegmentedLogOptions { SegmentCapacity = 4096, MaxRecordSize = 1024, Durability = DurabilityMode.None, RecycleSegments = false };
        await using var log = SegmentedLog.Open(dir.Path, options);
        for (int cycle = 0; cycle < 10; cycle++)
        {
            await TestRecords.AppendAllAsync(log, Enumerable.Range(0, 10).Select(_ => TestRecords.Random(rng, 700)), log.NextSequence);
            log.RemoveSegmentsBefore(log.NextSequence);
        }

        Assert.True(await Poll.UntilAsync(() => Directory.GetFiles(dir.Path, "retired-*").Length == 0));
        Assert.True(Directory.GetFiles(dir.Path, "*.tmp").Length <= options.SpareSegments);
    }

    private static void AssertFirst(SegmentedLog log, long first, List<ExpectedRecord> expected, int segments)
    {
        Assert.Equal(first, log.FirstSequence);
        Assert.Equal(segments, log.SegmentCount);
        Assert.Equal(segments, SegmentFile.List(log.Directory).Count);
        Assert.Equal(first, SegmentFile.BaseSequence(SegmentFile.List(log.Directory)[0]));
        Assert.False(log.TryRead(first - 1, out _), $"removed record {first - 1} is still readable");
        Assert.False(log.TryRead(0, out _));
        for (long sequence = first; sequence < expected.Count; sequence++)
        {
            Assert.True(log.TryRead(sequence, out StoredRecord? record));
            expected[(int)sequence].AssertMatches(sequence, record);
        }

        var count = 0;
        Assert.Equal(expected.Count - first, log.ReadRange(0, int.MaxValue, ref count, static (in RecordView _, ref int c) => ++c > 0));
    }

    private struct RemovingReader(SegmentedLog log, List<ExpectedRecord> expected)
    {
        public int Removed;
        public int Visited;
        public string? Problem;

        public bool Visit(in RecordView record)
        {
            if (Visited == 0)
            {
                // Everything up to the newest segment goes, including the segment under this read.
                Removed = log.RemoveSegmentsBefore(long.MaxValue);
            }

            Visited++;
            StoredRecord copy = record.ToStoredRecord();
            Problem ??= expected[(int)copy.Sequence].Difference(copy.Sequence, copy);
            return true;
        }
    }
}
