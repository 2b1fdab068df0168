using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Log;

/// <summary>
/// Random sequences of appends, reads, removals and reopens, checked step by step against a model: the
/// list of records plus where the segments begin. The model places records as the documented layout does
/// (64-byte header, 40-byte record header, 8-byte alignment, a roll when the next record does not fit), so
/// segment counts and the first sequence after a removal are predicted exactly, not just bounded.
/// </summary>
public class SegmentedLogModelTests
{
    private const int Capacity = 8192;
    private const int MaxRecordSize = 2000;

    private static readonly SegmentedLogOptions Options = new()
    {
        SegmentCapacity = Capacity,
        MaxRecordSize = MaxRecordSize,
        Durability = DurabilityMode.None,
    };

    [Property(MaxTest = 30)]
    [Trait("Category", "Slow")]
    public Property The_log_behaves_like_a_list_of_records() =>
        Prop.ForAll(Arb.From(Operations(), Shrink), operations => Task.Run(() => RunAsync(operations)));

    private static async Task RunAsync(Operation[] operations)
    {
        using var dir = new TempDirectory("model");
        var clock = new ManualTimeProvider();
        var model = new Model();
        SegmentedLog log = SegmentedLog.Open(dir.Path, Options, timeProvider: clock);
        try
        {
            for (int step = 0; step < operations.Length; step++)
            {
                Operation operation = operations[step];
                string context = $"step {step} ({operation}):";
                clock.Advance(TimeSpan.FromMilliseconds(3));
                switch (operation)
                {
                    case AppendOne one:
                        await AppendOneAsync(log, model, one, clock, context);
                        break;
                    case AppendBatch batch:
                        await AppendBatchAsync(log, model, batch, clock, context);
                        break;
                    case Read read:
                        CheckRead(log, model, model.Pick(read.Pick), context);
                        break;
                    case ReadSpan range:
                        CheckReadRange(log, model, model.Pick(range.Pick), range.MaxCount, range.StopAfter, context);
                        break;
                    case Remove remove:
                        long before = remove.AtSegmentBoundary ? model.PickBoundary(remove.Pick) : model.Pick(remove.Pick);
                        Assert.True(model.Remove(before) == log.RemoveSegmentsBefore(before), $"{context} removed count");
                        break;
                    case Reopen:
                        await log.DisposeAsync();
                        log = SegmentedLog.Open(dir.Path, Options, timeProvider: clock);
                        break;
                }

                Assert.True(model.Next == log.NextSequence, $"{context} NextSequence {log.NextSequence}, model {model.Next}");
                Assert.True(model.First == log.FirstSequence, $"{context} FirstSequence {log.FirstSequence}, model {model.First}");
                Assert.True(model.SegmentCount == log.SegmentCount, $"{context} SegmentCount {log.SegmentCount}, model {model.SegmentCount}");
            }

            // Finally everything, through a fresh open.
            await log.DisposeAsync();
            log = SegmentedLog.Open(dir.Path, Options, timeProvider: clock);
            Assert.Equal(model.SegmentCount, SegmentFile.List(dir.Path).Count);
            CheckReadRange(log, model, model.First, int.MaxValue, int.MaxValue, "final:");
        }
        finally
        {
            await log.DisposeAsync();
        }
    }

    private static async Task AppendOneAsync(SegmentedLog log, Model model, AppendOne one, ManualTimeProvider clock, string context)
    {
        ExpectedRecord record = one.Spec.Build(clock);
        if (record.PayloadSize > MaxRecordSize)
        {
            var error = await Assert.ThrowsAsync<LogQueueException>(() => log.AppendAsync(record.ToAppendRecord(one.Spec.UseLogClock)).AsTask());
            Assert.Equal(ErrorCode.MessageTooLong, error.Code);
            return;
        }

        AppendRecord append = record.ToAppendRecord(one.Spec.UseLogClock);
        long sequence;
        if (!one.UseTryAppend)
        {
            sequence = await log.AppendAsync(append);
        }
        else if (!log.TryAppend(append, out sequence))
        {
            // Only when a roll found no spare ready: nothing was written, and the async path waits for one.
            Assert.True(model.Next == log.NextSequence, $"{context} a refused TryAppend moved NextSequence");
            sequence = await log.AppendAsync(append);
        }

        Assert.True(model.Append(record) == sequence, $"{context} got sequence {sequence}");
    }

    private static async Task AppendBatchAsync(SegmentedLog log, Model model, AppendBatch batch, ManualTimeProvider clock, string context)
    {
        ExpectedRecord[] records = [.. batch.Specs.Select(spec => spec.Build(clock))];
        AppendRecord[] appends = [.. records.Select((r, i) => r.ToAppendRecord(batch.Specs[i].UseLogClock))];
        if (records.Any(r => r.PayloadSize > MaxRecordSize))
        {
            var error = await Assert.ThrowsAsync<LogQueueException>(() => log.AppendBatchAsync(appends).AsTask());
            Assert.Equal(ErrorCode.MessageTooLong, error.Code);
            return;
        }

        long first = await log.AppendBatchAsync(appends);
        Assert.True(model.Next == first, $"{context} batch starts at {first}, model {model.Next}");
        foreach (ExpectedRecord record in records)
        {
            model.Append(record);
        }
    }

    private static void CheckRead(SegmentedLog log, Model model, long sequence, string context)
    {
        bool found = log.TryRead(sequence, out StoredRecord? record);
        ExpectedRecord? expected = model.Get(sequence);
        Assert.True(found == expected is not null, $"{context} TryRead({sequence}) returned {found}; model [{model.First}, {model.Next})");
        if (expected is not null)
        {
            expected.AssertMatches(sequence, record, context);
        }
    }

    private static void CheckReadRange(SegmentedLog log, Model model, long from, int maxCount, int stopAfter, string context)
    {
        var state = (Records: new List<StoredRecord>(), StopAfter: stopAfter);
        int visited = log.ReadRange(from, maxCount, ref state, static (in RecordView record, ref (List<StoredRecord> Records, int StopAfter) s) =>
        {
            s.Records.Add(record.ToStoredRecord());
            return s.Records.Count < s.StopAfter;
        });

        long start = Math.Max(from, model.First);
        long expectedCount = Math.Max(0, Math.Min(Math.Min(maxCount, stopAfter), model.Next - start));
        Assert.True(expectedCount == visited, $"{context} ReadRange({from}, {maxCount}) stopping after {stopAfter} visited {visited}, model says {expectedCount}");
        for (int i = 0; i < state.Records.Count; i++)
        {
            model.Get(start + i)!.AssertMatches(start + i, state.Records[i], context);
        }
    }

    private static Gen<Operation[]> Operations()
    {
        Gen<RecordSpec> spec =
            from size in Gen.Frequency(
                (4, Gen.Choose(0, 150)),
                (4, Gen.Choose(150, MaxRecordSize - 40)),
                (3, Gen.Choose(MaxRecordSize - 8, MaxRecordSize)),
                (1, Gen.Choose(MaxRecordSize + 1, MaxRecordSize + 3)))
            from seed in Gen.Choose(0, 1_000_000)
            from withIds in Gen.Elements(true, false)
            from useLogClock in Gen.Elements(true, false)
            select new RecordSpec(size, seed, withIds, useLogClock);

        Gen<Operation> operation = Gen.Frequency(
            (8, from s in spec from useTry in Gen.Elements(true, false) select (Operation)new AppendOne(s, useTry)),
            (3, from count in Gen.Choose(0, 6) from specs in Gen.ArrayOf(spec, count) select (Operation)new AppendBatch(specs)),
            (4, from pick in Gen.Choose(0, 1000) select (Operation)new Read(pick)),
            (2, from pick in Gen.Choose(0, 1000) from max in Gen.Choose(0, 40) from stop in Gen.Choose(1, 50) select (Operation)new ReadSpan(pick, max, stop)),
            (2, from pick in Gen.Choose(0, 1000) from boundary in Gen.Elements(true, false) select (Operation)new Remove(pick, boundary)),
            (1, Gen.Constant((Operation)new Reopen())));

        // Long enough runs to fill several segments before removals and reopens cut into them.
        return from count in Gen.Choose(10, 70) from operations in Gen.ArrayOf(operation, count) select operations;
    }

    // Shorter runs first: drop halves, then single operations. Every subsequence is a valid run.
    private static IEnumerable<Operation[]> Shrink(Operation[] operations)
    {
        if (operations.Length > 1)
        {
            yield return operations[..(operations.Length / 2)];
            yield return operations[(operations.Length / 2)..];
        }

        for (int i = 0; i < operations.Length; i++)
        {
            yield return [.. operations[..i], .. operations[(i + 1)..]];
        }
    }

    /// <summary>A record to append: its payload size (ids, attributes and body together) and what fills it.</summary>
    private sealed record RecordSpec(int PayloadSize, int Seed, bool WithIds, bool UseLogClock)
    {
        public ExpectedRecord Build(ManualTimeProvider clock)
        {
            var rng = new Random(Seed);
            string? group = WithIds && PayloadSize >= 16 ? "g" + (Seed % 100) : null;
            string? dedup = WithIds && PayloadSize >= 16 ? "d" + (Seed % 1000) : null;
            byte[] attributes = WithIds && PayloadSize >= 16 ? TestRecords.NonZeroBytes(rng, 4) : [];
            int ids = (group?.Length ?? 0) + (dedup?.Length ?? 0);
            long timestamp = UseLogClock ? clock.GetUtcNow().ToUnixTimeMilliseconds() : 1_000_000 + Seed;
            return new ExpectedRecord(timestamp, (uint)Seed, (RecordFlags)(Seed & 7), group, dedup, attributes, TestRecords.NonZeroBytes(rng, PayloadSize - ids - attributes.Length));
        }

        public override string ToString() => $"{PayloadSize}B#{Seed}{(WithIds ? "+ids" : "")}{(UseLogClock ? "@clock" : "")}";
    }

    private abstract record Operation;

    private sealed record AppendOne(RecordSpec Spec, bool UseTryAppend) : Operation;

    private sealed record AppendBatch(RecordSpec[] Specs) : Operation
    {
        public override string ToString() => $"AppendBatch [{string.Join(", ", Specs.Select(s => s.ToString()))}]";
    }

    private sealed record Read(int Pick) : Operation;

    private sealed record ReadSpan(int Pick, int MaxCount, int StopAfter) : Operation;

    private sealed record Remove(int Pick, bool AtSegmentBoundary) : Operation;

    private sealed record Reopen : Operation;

    /// <summary>The records, and where segments begin as the documented layout places them.</summary>
    private sealed class Model
    {
        private readonly List<ExpectedRecord> _records = [];
        private readonly List<long> _segmentBases = [0];
        private long _writePosition = SegmentFile.HeaderSize;

        public long First => _segmentBases[0];

        public long Next => _records.Count;

        public int SegmentCount => _segmentBases.Count;

        public ExpectedRecord? Get(long sequence) =>
            sequence >= First && sequence < Next ? _records[(int)sequence] : null;

        // A sequence around the stored range: a little below the first to a little past the next.
        public long Pick(int pick) => First - 2 + (pick % (Next - First + 5));

        // A segment's base, or one either side of it: where an off-by-one in removal would show.
        public long PickBoundary(int pick) => _segmentBases[pick % _segmentBases.Count] + (pick % 3) - 1;

        public long Append(ExpectedRecord record)
        {
            int size = SegmentFile.Align(SegmentFile.RecordHeaderSize + record.PayloadSize);
            if (Capacity - _writePosition < size)
            {
                _segmentBases.Add(Next);
                _writePosition = SegmentFile.HeaderSize;
            }

            _writePosition += size;
            _records.Add(record);
            return Next - 1;
        }

        public int Remove(long before)
        {
            int count = 0;
            while (count < _segmentBases.Count - 1 && _segmentBases[count + 1] <= before)
            {
                count++;
            }

            _segmentBases.RemoveRange(0, count);
            return count;
        }
    }
}
