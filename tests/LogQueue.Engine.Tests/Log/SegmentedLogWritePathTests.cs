using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;
using LogQueue.TestSupport;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Tests.Log;

/// <summary>
/// Records are encoded into a staging buffer and written to the segment file with pwrite, while readers
/// read them through the segment's mapping (docs/storage.md §7). These tests pin what that must keep: a
/// record is readable through the mapping as soon as its append returns, before any flush; what the file
/// holds is what was appended; batches larger than one staging buffer, records larger than it and batches
/// that cross a roll all land whole; and a write cut short at a page boundary, as a killed process can
/// leave one, is truncated at the cut record.
/// </summary>
public class SegmentedLogWritePathTests
{
    // 64 KiB is the staging buffer's limit; records up to 96 KiB and segments of 256 KiB exercise every
    // case: a record larger than the buffer, a batch that needs several buffers, a batch that rolls.
    private static SegmentedLogOptions Options(DurabilityMode durability) =>
        new() { SegmentCapacity = 256 << 10, MaxRecordSize = 96 << 10, Durability = durability };

    public static TheoryData<DurabilityMode> Modes() => [DurabilityMode.Always, DurabilityMode.Interval, DurabilityMode.None];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Every_append_is_readable_at_once_and_in_the_file_and_survives_a_reopen(DurabilityMode durability)
    {
        var rng = new Random(17 + (int)durability);
        using var dir = new TempDirectory("write-path");
        var expected = new List<ExpectedRecord>();
        await using (var log = SegmentedLog.Open(dir.Path, Options(durability)))
        {
            // Many small records in one batch: more than one staging buffer (~130 KiB).
            await AppendBatchAndCheckAsync(log, [.. Enumerable.Range(0, 260).Select(_ => TestRecords.Random(rng, 1000))], expected);

            // One record larger than a staging buffer, alone and between small ones.
            await AppendBatchAndCheckAsync(log, [TestRecords.WithPayload(90 << 10, seed: 1)], expected);
            await AppendBatchAndCheckAsync(log, [TestRecords.Random(rng, 500), TestRecords.WithPayload(80 << 10, seed: 2), TestRecords.Random(rng, 500)], expected);

            // Batches that cross segment rolls, part of them staged before the roll.
            for (int i = 0; i < 4; i++)
            {
                await AppendBatchAndCheckAsync(log, [.. Enumerable.Range(0, 40).Select(_ => TestRecords.Random(rng, 4000))], expected);
            }

            Assert.True(log.SegmentCount > 2, $"the batches should have rolled; {log.SegmentCount} segment(s)");

            // Single appends, as concurrent senders make them.
            foreach (ExpectedRecord record in Enumerable.Range(0, 50).Select(_ => TestRecords.Random(rng, 2000)))
            {
                long sequence = await log.AppendAsync(record.ToAppendRecord());
                Assert.Equal(expected.Count, sequence);
                expected.Add(record);
                Assert.True(log.TryRead(sequence, out StoredRecord? stored));
                record.AssertMatches(sequence, stored);
            }

            AssertFilesHold(dir.Path, expected);
        }

        await using (var reopened = SegmentedLog.Open(dir.Path, Options(durability)))
        {
            TestRecords.AssertLogHolds(reopened, expected, context: "after reopen:");
        }
    }

    [Fact]
    public async Task A_reader_sees_every_record_below_NextSequence_while_an_appender_writes()
    {
        using var dir = new TempDirectory("write-path");
        await using var log = SegmentedLog.Open(dir.Path, Options(DurabilityMode.None));
        const int Count = 20_000;
        var appender = Task.Run(async () =>
        {
            for (int i = 0; i < Count; i += 10)
            {
                await log.AppendBatchAsync(Enumerable.Range(i, 10).Select(n => new AppendRecord(BodyOf(n))).ToArray());
            }
        });

        long checkedUpTo = 0;
        while (checkedUpTo < Count)
        {
            long end = log.NextSequence;
            for (; checkedUpTo < end; checkedUpTo++)
            {
                Assert.True(log.TryRead(checkedUpTo, out StoredRecord? stored), $"record {checkedUpTo} below NextSequence {end} is not readable");
                Assert.True(stored.Body.Span.SequenceEqual(BodyOf(checkedUpTo)), $"record {checkedUpTo} read back other bytes");
            }

            Assert.False(appender.IsFaulted, appender.Exception?.ToString());
        }

        await appender;
    }

    [Fact]
    public async Task A_write_cut_at_a_page_boundary_loses_the_record_across_it_and_everything_after()
    {
        // pwrite copies a buffer into the page cache page by page, and a process killed during the copy can
        // leave the pages before the cut written and the rest still zero. The length of a record that spans
        // the cut is then in place while its end is not: its CRC fails and recovery truncates there.
        var rng = new Random(404);
        using var dir = new TempDirectory("write-path");
        var expected = new List<ExpectedRecord>();
        var options = Options(DurabilityMode.None);
        await using (var log = SegmentedLog.Open(dir.Path, options))
        {
            ExpectedRecord[] batch = [.. Enumerable.Range(0, 30).Select(_ => TestRecords.Random(rng, 700))];
            await log.AppendBatchAsync(batch.Select(r => r.ToAppendRecord()).ToArray());
            expected.AddRange(batch);
        }

        string segment = Assert.Single(SegmentFile.List(dir.Path));
        IReadOnlyList<RecordLocation> records = SegmentFile.Records(segment);
        const int Page = 4096;
        RecordLocation spanning = records.First(r => r.Offset / Page != (r.Offset + r.Length - 1) / Page);
        long cut = (spanning.Offset / Page + 1) * Page;
        SegmentFile.ZeroFrom(segment, cut);

        var logger = new CapturingLogger();
        await using (var log = SegmentedLog.Open(dir.Path, options, logger))
        {
            TestRecords.AssertLogHolds(log, expected.GetRange(0, (int)spanning.Sequence), context: $"cut at {cut}:");
        }

        LogEntry warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains($"offset {spanning.Offset}", warning.Message, StringComparison.Ordinal);
    }

    private static async Task AppendBatchAndCheckAsync(SegmentedLog log, ExpectedRecord[] batch, List<ExpectedRecord> expected)
    {
        long first = await log.AppendBatchAsync(batch.Select(r => r.ToAppendRecord()).ToArray());
        Assert.Equal(expected.Count, first);
        expected.AddRange(batch);

        // Read through the mapping straight away: no flush has to run for the bytes to be there.
        for (int i = 0; i < batch.Length; i++)
        {
            Assert.True(log.TryRead(first + i, out StoredRecord? stored), $"record {first + i} is not readable");
            batch[i].AssertMatches(first + i, stored);
        }

        int visited = 0;
        log.ReadRange(first, batch.Length, ref visited, static (in RecordView view, ref int count) =>
        {
            count++;
            return true;
        });
        Assert.Equal(batch.Length, visited);
    }

    // The segment files, read with plain file reads (not the engine's mapping), hold the records in order.
    private static void AssertFilesHold(string directory, List<ExpectedRecord> expected)
    {
        long next = 0;
        foreach (string file in SegmentFile.List(directory))
        {
            Assert.Equal(next, SegmentFile.BaseSequence(file));
            foreach (RecordLocation record in SegmentFile.Records(file))
            {
                Assert.Equal(next, record.Sequence);
                Assert.Equal(40 + expected[(int)next].PayloadSize, record.Length);
                next++;
            }
        }

        Assert.Equal(expected.Count, next);
    }

    private static byte[] BodyOf(long n) => [.. BitConverter.GetBytes(n), (byte)(n % 251 + 1), .. new byte[n % 300]];
}
