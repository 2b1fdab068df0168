using System.Text;
using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Log;

public class SegmentedLogRoundTripTests
{
    private static SegmentedLogOptions SmallSegments(DurabilityMode durability = DurabilityMode.None) =>
        new() { SegmentCapacity = 8192, MaxRecordSize = 1024, Durability = durability };

    [Fact]
    public async Task A_single_record_round_trips_every_field()
    {
        using var dir = new TempDirectory();
        await using var log = SegmentedLog.Open(dir.Path, SmallSegments(DurabilityMode.Always));
        var expected = new ExpectedRecord(1_700_000_000_123, 900_000, RecordFlags.Encrypted | RecordFlags.Moved, "grüppe-1", "dédup", [1, 2, 3, 0, 255], Encoding.UTF8.GetBytes("body ✓"));

        long sequence = await log.AppendAsync(expected.ToAppendRecord());

        Assert.Equal(0, sequence);
        Assert.Equal(1, log.NextSequence);
        Assert.True(log.TryRead(0, out StoredRecord? stored));
        expected.AssertMatches(0, stored);
    }

    [Fact]
    public async Task A_record_with_only_an_empty_body_round_trips()
    {
        using var dir = new TempDirectory();
        await using var log = SegmentedLog.Open(dir.Path, SmallSegments());

        Assert.True(log.TryAppend(new AppendRecord(ReadOnlyMemory<byte>.Empty, timestamp: 5), out long sequence));

        Assert.True(log.TryRead(sequence, out StoredRecord? stored));
        new ExpectedRecord(5, 0, RecordFlags.None, null, null, [], []).AssertMatches(sequence, stored);
    }

    [Fact]
    public async Task Timestamp_zero_is_stamped_by_the_log_clock_and_an_explicit_one_is_kept()
    {
        using var dir = new TempDirectory();
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(TestRecords.Epoch));
        await using var log = SegmentedLog.Open(dir.Path, SmallSegments(), timeProvider: clock);

        long first = await log.AppendAsync(new AppendRecord("a"u8.ToArray()));
        clock.Advance(TimeSpan.FromSeconds(5));
        long second = await log.AppendBatchAsync(new[] { new AppendRecord("b"u8.ToArray()), new AppendRecord("c"u8.ToArray(), timestamp: 1234) });
        Assert.True(log.TryAppend(new AppendRecord("d"u8.ToArray()), out long third));

        Assert.Equal(TestRecords.Epoch, Read(log, first).Timestamp);
        Assert.Equal(TestRecords.Epoch + 5000, Read(log, second).Timestamp);
        Assert.Equal(1234, Read(log, second + 1).Timestamp);
        Assert.Equal(TestRecords.Epoch + 5000, Read(log, third).Timestamp);
    }

    [Fact]
    public async Task Batches_get_consecutive_sequences_that_continue_from_the_previous_append()
    {
        using var dir = new TempDirectory();
        await using var log = SegmentedLog.Open(dir.Path, SmallSegments());
        var rng = new Random(3);
        var expected = new List<ExpectedRecord>();

        Assert.Equal(0, await log.AppendAsync(Add(TestRecords.Random(rng, 1024)).ToAppendRecord()));
        ExpectedRecord[] batch = [.. Enumerable.Range(0, 7).Select(_ => Add(TestRecords.Random(rng, 1024)))];
        Assert.Equal(1, await log.AppendBatchAsync(batch.Select(r => r.ToAppendRecord()).ToArray()));
        Assert.Equal(8, log.NextSequence);

        ExpectedRecord[] second = [.. Enumerable.Range(0, 5).Select(_ => Add(TestRecords.Random(rng, 300)))];
        bool appended = log.TryAppend(second.Select(r => r.ToAppendRecord()).ToArray(), out long secondFirst);
        if (!appended)
        {
            // No spare was ready for a roll: nothing may have been written; the async path waits for one.
            Assert.Equal(8, log.NextSequence);
            secondFirst = await log.AppendBatchAsync(second.Select(r => r.ToAppendRecord()).ToArray());
        }

        Assert.Equal(8, secondFirst);
        TestRecords.AssertLogHolds(log, expected);

        ExpectedRecord Add(ExpectedRecord record)
        {
            expected.Add(record);
            return record;
        }
    }

    [Fact]
    public async Task A_batch_of_many_small_records_spanning_rolls_is_appended_whole()
    {
        // More than the 256 records whose lengths are measured on the stack, and several segments' worth.
        using var dir = new TempDirectory();
        await using var log = SegmentedLog.Open(dir.Path, SmallSegments(DurabilityMode.Always));
        var rng = new Random(37);
        List<ExpectedRecord> expected = [.. Enumerable.Range(0, 600).Select(_ => TestRecords.Random(rng, 60))];

        Assert.Equal(0, await log.AppendBatchAsync(expected.Take(300).Select(r => r.ToAppendRecord()).ToArray()));
        Assert.True(log.DurableSequence >= 300);
        AppendRecord[] second = [.. expected.Skip(300).Select(r => r.ToAppendRecord())];
        if (!log.TryAppend(second, out long first))
        {
            Assert.Equal(300, log.NextSequence);
            first = await log.AppendBatchAsync(second);
        }

        Assert.Equal(300, first);
        Assert.True(log.SegmentCount >= 6, $"only {log.SegmentCount} segments");
        TestRecords.AssertLogHolds(log, expected);
    }

    [Fact]
    public async Task An_empty_batch_appends_nothing_and_reports_the_next_sequence()
    {
        using var dir = new TempDirectory();
        await using var log = SegmentedLog.Open(dir.Path, SmallSegments(DurabilityMode.Always));
        await log.AppendAsync(new AppendRecord("x"u8.ToArray()));

        Assert.Equal(1, await log.AppendBatchAsync(ReadOnlyMemory<AppendRecord>.Empty));
        Assert.True(log.TryAppend(ReadOnlySpan<AppendRecord>.Empty, out long first));
        Assert.Equal(1, first);
        Assert.Equal(1, log.NextSequence);
        Assert.False(log.TryRead(1, out _));
    }

    [Fact]
    public async Task Records_across_many_segment_rolls_read_back_byte_exact_and_survive_reopen()
    {
        using var dir = new TempDirectory();
        SegmentedLogOptions options = SmallSegments();
        var rng = new Random(17);
        List<ExpectedRecord> expected = [.. Enumerable.Range(0, 300).Select(_ => TestRecords.Random(rng, rng.Next(4) == 0 ? 1024 : 200))];

        await using (var log = SegmentedLog.Open(dir.Path, options))
        {
            for (int i = 0; i < expected.Count;)
            {
                int batch = Math.Min(rng.Next(1, 6), expected.Count - i);
                long first = batch == 1
                    ? await log.AppendAsync(expected[i].ToAppendRecord())
                    : await log.AppendBatchAsync(expected.GetRange(i, batch).Select(r => r.ToAppendRecord()).ToArray());
                Assert.Equal(i, first);
                i += batch;
            }

            Assert.True(log.SegmentCount >= 6, $"only {log.SegmentCount} segments");
            TestRecords.AssertLogHolds(log, expected, context: "before close:");
            Assert.Equal(log.SegmentCount, SegmentFile.List(dir.Path).Count);
        }

        await using (var log = SegmentedLog.Open(dir.Path, options))
        {
            TestRecords.AssertLogHolds(log, expected, context: "after reopen:");
            Assert.Equal(0, log.FirstSequence);
            Assert.Equal(SegmentFile.List(dir.Path).Count, log.SegmentCount);
            List<StoredRecord> all = [.. log.ReadFrom(0)];
            Assert.Equal(expected.Count, all.Count);
            for (int i = 0; i < all.Count; i++)
            {
                expected[i].AssertMatches(i, all[i], "ReadFrom:");
            }
        }
    }

    [Fact]
    public async Task Appends_continue_after_reopen_with_the_next_sequence()
    {
        using var dir = new TempDirectory();
        SegmentedLogOptions options = SmallSegments(DurabilityMode.Always);
        var rng = new Random(5);
        var expected = new List<ExpectedRecord>();
        for (int round = 0; round < 4; round++)
        {
            await using var log = SegmentedLog.Open(dir.Path, options);
            Assert.Equal(expected.Count, log.NextSequence);
            List<ExpectedRecord> more = [.. Enumerable.Range(0, 25).Select(_ => TestRecords.Random(rng, 700))];
            await TestRecords.AppendAllAsync(log, more, expected.Count);
            expected.AddRange(more);
            TestRecords.AssertLogHolds(log, expected, context: $"round {round}:");
        }
    }

    [Fact]
    public async Task A_new_segment_capacity_applies_to_new_segments_and_old_ones_stay_readable()
    {
        using var dir = new TempDirectory();
        var rng = new Random(31);
        List<ExpectedRecord> expected = [.. Enumerable.Range(0, 60).Select(_ => TestRecords.Random(rng, 1000))];
        await using (var log = SegmentedLog.Open(dir.Path, SmallSegments()))
        {
            await TestRecords.AppendAllAsync(log, expected.Take(30));
        }

        int smallSegments = SegmentFile.List(dir.Path).Count;
        var larger = new SegmentedLogOptions { SegmentCapacity = 32768, MaxRecordSize = 4000, Durability = DurabilityMode.None };
        await using (var log = SegmentedLog.Open(dir.Path, larger))
        {
            await TestRecords.AppendAllAsync(log, expected.Skip(30), 30);
            TestRecords.AssertLogHolds(log, expected);
        }

        long[] sizes = [.. SegmentFile.List(dir.Path).Select(f => new FileInfo(f).Length)];
        Assert.All(sizes[..smallSegments], size => Assert.Equal(8192, size));
        Assert.All(sizes[smallSegments..], size => Assert.Equal(32768, size));
        Assert.True(sizes.Length > smallSegments);

        await using (var log = SegmentedLog.Open(dir.Path, SmallSegments()))
        {
            TestRecords.AssertLogHolds(log, expected, context: "reopened with the first capacity:");
        }
    }

    [Fact]
    public async Task Records_of_exactly_the_maximum_size_fill_one_segment_each()
    {
        using var dir = new TempDirectory();

        // 64 + 40 + 3992 = 4096: the largest record a 4 KiB segment can hold, so every record rolls.
        var options = new SegmentedLogOptions { SegmentCapacity = 4096, MaxRecordSize = 3992, Durability = DurabilityMode.None };
        List<ExpectedRecord> expected = [.. Enumerable.Range(0, 12).Select(i => TestRecords.WithPayload(3992, seed: i))];
        await using (var log = SegmentedLog.Open(dir.Path, options))
        {
            // One batch that needs more new segments than there are spares: the slow path waits for them.
            Assert.Equal(0, await log.AppendBatchAsync(expected.Take(10).Select(r => r.ToAppendRecord()).ToArray()));
            await TestRecords.AppendAllAsync(log, expected.Skip(10), 10);
            Assert.Equal(12, log.SegmentCount);
            TestRecords.AssertLogHolds(log, expected);
        }

        IReadOnlyList<string> files = SegmentFile.List(dir.Path);
        Assert.Equal(12, files.Count);
        for (int i = 0; i < files.Count; i++)
        {
            Assert.Equal(i, SegmentFile.BaseSequence(files[i]));
            RecordLocation record = Assert.Single(SegmentFile.Records(files[i]));
            Assert.Equal(4096, record.AlignedEnd);
        }

        await using (var log = SegmentedLog.Open(dir.Path, options))
        {
            TestRecords.AssertLogHolds(log, expected, context: "after reopen:");
        }
    }

    [Fact]
    public async Task The_zero_copy_visitor_sees_every_field_in_place()
    {
        using var dir = new TempDirectory();
        await using var log = SegmentedLog.Open(dir.Path, SmallSegments());
        await log.AppendAsync(new AppendRecord("first"u8.ToArray()));
        await log.AppendAsync(new AppendRecord("the body"u8.ToArray(), new byte[] { 9, 8, 7 }, "grp", "dd", 77, 1500, RecordFlags.Compressed));

        var seen = new VisitedFields();
        Assert.True(log.TryRead(1, ref seen, static (in RecordView record, ref VisitedFields state) =>
        {
            state.Sequence = record.Sequence;
            state.Timestamp = record.Timestamp;
            state.Delay = record.DelayMilliseconds;
            state.Flags = record.Flags;
            state.Group = Encoding.UTF8.GetString(record.GroupIdUtf8);
            state.Dedup = Encoding.UTF8.GetString(record.DeduplicationIdUtf8);
            state.Attributes = record.Attributes.ToArray();
            state.Body = Encoding.UTF8.GetString(record.Body);
            state.Calls++;
        }));

        Assert.Equal(1, seen.Calls);
        Assert.Equal(1, seen.Sequence);
        Assert.Equal(77, seen.Timestamp);
        Assert.Equal(1500u, seen.Delay);
        Assert.Equal(RecordFlags.Compressed, seen.Flags);
        Assert.Equal("grp", seen.Group);
        Assert.Equal("dd", seen.Dedup);
        Assert.Equal(new byte[] { 9, 8, 7 }, seen.Attributes);
        Assert.Equal("the body", seen.Body);

        bool emptyIds = false;
        Assert.True(log.TryRead(0, ref emptyIds, static (in RecordView record, ref bool state) =>
            state = record.GroupIdUtf8.IsEmpty && record.DeduplicationIdUtf8.IsEmpty && record.Attributes.IsEmpty));
        Assert.True(emptyIds);
    }

    [Fact]
    public async Task TryRead_is_false_outside_the_stored_range_and_never_calls_the_visitor()
    {
        using var dir = new TempDirectory();
        await using var log = SegmentedLog.Open(dir.Path, SmallSegments());
        await log.AppendAsync(new AppendRecord("x"u8.ToArray()));

        int calls = 0;
        foreach (long sequence in new[] { -1L, 1, 2, long.MaxValue, long.MinValue })
        {
            Assert.False(log.TryRead(sequence, out StoredRecord? record));
            Assert.Null(record);
            Assert.False(log.TryRead(sequence, ref calls, static (in RecordView _, ref int state) => state++));
        }

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task ReadRange_spans_segments_honours_maxCount_and_stops_when_the_visitor_says_so()
    {
        using var dir = new TempDirectory();
        await using var log = SegmentedLog.Open(dir.Path, SmallSegments());
        var rng = new Random(23);
        List<ExpectedRecord> expected = [.. Enumerable.Range(0, 120).Select(_ => TestRecords.Random(rng, 500))];
        await TestRecords.AppendAllAsync(log, expected);
        Assert.True(log.SegmentCount >= 4);

        // Everything, across every segment boundary.
        List<StoredRecord> all = Collect(log, 0, int.MaxValue);
        Assert.Equal(120, all.Count);
        for (int i = 0; i < all.Count; i++)
        {
            expected[i].AssertMatches(i, all[i], "ReadRange:");
        }

        // A window in the middle, bounded by maxCount.
        List<StoredRecord> window = Collect(log, 37, 50);
        Assert.Equal(Enumerable.Range(37, 50).Select(i => (long)i), window.Select(r => r.Sequence));

        // Past the end: only what exists.
        Assert.Equal(Enumerable.Range(110, 10).Select(i => (long)i), Collect(log, 110, 1000).Select(r => r.Sequence));
        Assert.Empty(Collect(log, 120, 10));
        Assert.Empty(Collect(log, 5, 0));

        // Early stop: the visitor's false ends the range, and that record counts as visited.
        var stopAt = new List<long>();
        int visited = log.ReadRange(10, 100, ref stopAt, static (in RecordView record, ref List<long> state) =>
        {
            state.Add(record.Sequence);
            return state.Count < 3;
        });
        Assert.Equal(3, visited);
        Assert.Equal(new long[] { 10, 11, 12 }, stopAt);

        Assert.Throws<ArgumentOutOfRangeException>(() => Collect(log, 0, -1));
    }

    [Fact]
    public async Task ReadRange_and_ReadFrom_start_at_the_first_sequence_when_asked_for_less()
    {
        using var dir = new TempDirectory();
        await using var log = SegmentedLog.Open(dir.Path, SmallSegments());
        var rng = new Random(29);
        await TestRecords.AppendAllAsync(log, Enumerable.Range(0, 80).Select(_ => TestRecords.Random(rng, 700)));
        Assert.True(log.RemoveSegmentsBefore(40) > 0);
        long first = log.FirstSequence;
        Assert.True(first > 0);

        Assert.Equal(first, Collect(log, -100, 1).Single().Sequence);
        Assert.Equal(first, Collect(log, 0, 1).Single().Sequence);
        Assert.Equal(first, log.ReadFrom(0).First().Sequence);
        Assert.Equal(80 - first, log.ReadFrom(long.MinValue).Count());
    }

    private static StoredRecord Read(SegmentedLog log, long sequence)
    {
        Assert.True(log.TryRead(sequence, out StoredRecord? record), $"record {sequence} is missing");
        return record;
    }

    private static List<StoredRecord> Collect(SegmentedLog log, long from, int maxCount)
    {
        var records = new List<StoredRecord>();
        int visited = log.ReadRange(from, maxCount, ref records, static (in RecordView record, ref List<StoredRecord> state) =>
        {
            state.Add(record.ToStoredRecord());
            return true;
        });
        Assert.Equal(records.Count, visited);
        for (int i = 1; i < records.Count; i++)
        {
            Assert.Equal(records[i - 1].Sequence + 1, records[i].Sequence);
        }

        return records;
    }

    private struct VisitedFields
    {
        public int Calls;
        public long Sequence;
        public long Timestamp;
        public uint Delay;
        public RecordFlags Flags;
        public string Group;
        public string Dedup;
        public byte[] Attributes;
        public string Body;
    }
}
