using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Log;

/// <summary>Records that break a limit are refused whole: nothing of them, or of their batch, reaches the log.</summary>
public class SegmentedLogLimitsTests
{
    private const int MaxRecordSize = 1000;

    private static readonly SegmentedLogOptions Options = new() { SegmentCapacity = 8192, MaxRecordSize = MaxRecordSize, Durability = DurabilityMode.Always };

    [Fact]
    public async Task A_payload_of_exactly_MaxRecordSize_is_accepted()
    {
        using var dir = new TempDirectory();
        await using var log = SegmentedLog.Open(dir.Path, Options);

        ExpectedRecord bodyOnly = TestRecords.Body(new byte[MaxRecordSize]);
        ExpectedRecord mixed = TestRecords.WithPayload(MaxRecordSize, seed: 1);
        Assert.Equal(MaxRecordSize, mixed.PayloadSize);
        await TestRecords.AppendAllAsync(log, [bodyOnly, mixed]);

        TestRecords.AssertLogHolds(log, [bodyOnly, mixed]);
    }

    [Fact]
    public async Task A_payload_over_MaxRecordSize_is_refused_by_every_append_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        var expected = new List<ExpectedRecord> { TestRecords.Body("kept"u8.ToArray()) };
        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            await TestRecords.AppendAllAsync(log, expected);

            // One byte over, counted across body, attributes and both ids.
            AppendRecord bodyOver = new(new byte[MaxRecordSize + 1]);
            AppendRecord splitOver = new(new byte[MaxRecordSize - 10], new byte[5], "ab", "abcd");
            foreach (AppendRecord tooLong in new[] { bodyOver, splitOver })
            {
                AssertCode(ErrorCode.MessageTooLong, () => log.TryAppend(tooLong, out _));
                AssertCode(ErrorCode.MessageTooLong, () => log.TryAppend(new[] { tooLong }, out _));
                await AssertCodeAsync(ErrorCode.MessageTooLong, () => log.AppendAsync(tooLong).AsTask());
                await AssertCodeAsync(ErrorCode.MessageTooLong, () => log.AppendBatchAsync(new[] { tooLong }).AsTask());
            }

            Assert.Equal(1, log.NextSequence);
            TestRecords.AssertLogHolds(log, expected);
        }

        await AssertOnDiskAsync(dir.Path, expected);
    }

    [Fact]
    public async Task A_batch_whose_last_record_is_too_long_writes_none_of_its_records()
    {
        using var dir = new TempDirectory();
        var expected = new List<ExpectedRecord> { TestRecords.Body("kept"u8.ToArray()) };
        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            await TestRecords.AppendAllAsync(log, expected);

            // Enough valid records before the bad one to fill more than one segment.
            AppendRecord[] batch = [.. Enumerable.Range(0, 20).Select(i => TestRecords.WithPayload(900, i).ToAppendRecord()), new AppendRecord(new byte[MaxRecordSize + 1])];

            await AssertCodeAsync(ErrorCode.MessageTooLong, () => log.AppendBatchAsync(batch).AsTask());
            AssertCode(ErrorCode.MessageTooLong, () => log.TryAppend(batch, out _));

            Assert.Equal(1, log.NextSequence);
            Assert.Equal(1, log.SegmentCount);
            TestRecords.AssertLogHolds(log, expected);

            // The log is unharmed: the next append gets the next sequence.
            expected.Add(TestRecords.Body("after"u8.ToArray()));
            Assert.Equal(1, await log.AppendAsync(expected[1].ToAppendRecord()));
        }

        await AssertOnDiskAsync(dir.Path, expected);
    }

    [Theory]
    [InlineData(0, "x")]
    [InlineData(256, "x")]
    [InlineData(1000, "x")]
    [InlineData(128, "é")] // 128 characters, 256 UTF-8 bytes
    public async Task A_group_or_deduplication_id_of_0_or_more_than_255_utf8_bytes_is_refused(int repeat, string unit)
    {
        string badId = string.Concat(Enumerable.Repeat(unit, repeat));
        using var dir = new TempDirectory();
        ExpectedRecord kept = TestRecords.Body("kept"u8.ToArray());
        await using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            await log.AppendAsync(kept.ToAppendRecord());
            foreach (AppendRecord bad in new[] { new AppendRecord("b"u8.ToArray(), groupId: badId), new AppendRecord("b"u8.ToArray(), deduplicationId: badId) })
            {
                AssertCode(ErrorCode.InvalidParameterValue, () => log.TryAppend(bad, out _));
                await AssertCodeAsync(ErrorCode.InvalidParameterValue, () => log.AppendAsync(bad).AsTask());

                // In the middle of a batch: the valid records around it are not written either.
                AppendRecord[] batch = [new("ok1"u8.ToArray()), bad, new("ok2"u8.ToArray())];
                await AssertCodeAsync(ErrorCode.InvalidParameterValue, () => log.AppendBatchAsync(batch).AsTask());
                AssertCode(ErrorCode.InvalidParameterValue, () => log.TryAppend(batch, out _));
            }

            Assert.Equal(1, log.NextSequence);
        }

        await AssertOnDiskAsync(dir.Path, [kept]);
    }

    [Fact]
    public async Task Ids_of_exactly_255_utf8_bytes_are_accepted_and_read_back()
    {
        using var dir = new TempDirectory();
        await using var log = SegmentedLog.Open(dir.Path, Options);
        string ascii = new('g', 255);
        string multiByte = string.Concat(Enumerable.Repeat("é", 127)) + "d"; // 254 + 1 bytes
        var expected = new ExpectedRecord(1, 0, RecordFlags.None, ascii, multiByte, [], "b"u8.ToArray());

        await TestRecords.AppendAllAsync(log, [expected]);

        TestRecords.AssertLogHolds(log, [expected]);
    }

    private static void AssertCode(ErrorCode code, Action append) =>
        Assert.Equal(code, Assert.Throws<LogQueueException>(append).Code);

    private static async Task AssertCodeAsync(ErrorCode code, Func<Task> append) =>
        Assert.Equal(code, (await Assert.ThrowsAsync<LogQueueException>(append)).Code);

    // What a fresh process finds: the refused records left no byte behind.
    private static async Task AssertOnDiskAsync(string directory, List<ExpectedRecord> expected)
    {
        await using var log = SegmentedLog.Open(directory, Options);
        TestRecords.AssertLogHolds(log, expected, context: "after reopen:");
        Assert.Equal(expected.Count, SegmentFile.List(directory).Sum(f => SegmentFile.Records(f).Count));
    }
}
