using System.Buffers.Binary;
using System.Collections.Concurrent;
using LogQueue.Engine.Log;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Log;

/// <summary>
/// Appenders, readers and (in one test) a remover at once. Every body names its writer and index and is
/// otherwise derived from them, so a reader can tell a whole, correct record from a torn or misplaced one.
/// </summary>
public class SegmentedLogConcurrencyTests
{
    private const int Writers = 8;
    private const int AppendsPerWriter = 100;
    private const int BatchSize = 3;

    private static SegmentedLogOptions Options(DurabilityMode mode) =>
        new() { SegmentCapacity = 32768, MaxRecordSize = 1024, Durability = mode, SpareSegments = 2 };

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(DurabilityMode.Always)]
    [InlineData(DurabilityMode.None)]
    [InlineData(DurabilityMode.Interval)]
    public async Task Concurrent_appenders_get_dense_unique_sequences_and_readers_see_only_whole_records(DurabilityMode mode)
    {
        using var dir = new TempDirectory("concurrency");
        await using var log = SegmentedLog.Open(dir.Path, Options(mode));
        var problems = new ConcurrentQueue<string>();
        var placed = new ConcurrentDictionary<long, (int Writer, int Index)>();
        using var writersDone = new CancellationTokenSource();

        Task[] readers = [.. Enumerable.Range(0, 2).Select(reader => Task.Run(() => ReadUntilCancelled(log, reader, removing: false, problems, writersDone.Token)))];
        Task[] writers = [.. Enumerable.Range(0, Writers).Select(writer => Task.Run(() => AppendAsync(log, writer, placed, problems)))];
        await Task.WhenAll(writers);
        await writersDone.CancelAsync();
        await Task.WhenAll(readers);

        Assert.Empty(problems);
        long total = Writers * AppendsPerWriter;
        Assert.Equal(total, log.NextSequence);
        AssertDenseAndExact(log, placed, total);

        await log.FlushAsync();
        Assert.Equal(total, log.DurableSequence);
    }

    [Fact]
    public async Task Readers_never_see_a_wrong_record_while_segments_are_removed_and_recycled()
    {
        using var dir = new TempDirectory("concurrency");
        SegmentedLogOptions options = Options(DurabilityMode.None);
        options.SegmentCapacity = 8192;
        await using var log = SegmentedLog.Open(dir.Path, options);
        var problems = new ConcurrentQueue<string>();
        var placed = new ConcurrentDictionary<long, (int Writer, int Index)>();
        using var writersDone = new CancellationTokenSource();

        Task[] readers = [.. Enumerable.Range(0, 2).Select(reader => Task.Run(() => ReadUntilCancelled(log, reader, removing: true, problems, writersDone.Token)))];
        Task remover = Task.Run(async () =>
        {
            // Keep roughly the newest 100 records: segments go while readers are inside them. One last
            // removal after the writers finish, so the test holds even if this task was starved meanwhile.
            while (true)
            {
                bool last = writersDone.IsCancellationRequested;
                log.RemoveSegmentsBefore(log.NextSequence - 100);
                if (last)
                {
                    break;
                }

                await Task.Yield();
            }
        });
        Task[] writers = [.. Enumerable.Range(0, Writers).Select(writer => Task.Run(() => AppendAsync(log, writer, placed, problems)))];
        await Task.WhenAll(writers);
        await writersDone.CancelAsync();
        await Task.WhenAll([.. readers, remover]);

        Assert.Empty(problems);
        Assert.Equal(Writers * AppendsPerWriter, log.NextSequence);
        Assert.True(log.FirstSequence > 0);
        for (long sequence = log.FirstSequence; sequence < log.NextSequence; sequence++)
        {
            Assert.True(log.TryRead(sequence, out StoredRecord? record));
            (int writer, int index) = placed[sequence];
            Assert.Equal(Body(writer, index), record.Body.ToArray());
        }
    }

    private static async Task AppendAsync(SegmentedLog log, int writer, ConcurrentDictionary<long, (int, int)> placed, ConcurrentQueue<string> problems)
    {
        for (int index = 0; index < AppendsPerWriter;)
        {
            if (index % 10 == 9 && index + BatchSize <= AppendsPerWriter)
            {
                AppendRecord[] batch = [.. Enumerable.Range(index, BatchSize).Select(i => new AppendRecord(Body(writer, i)))];
                long first = await log.AppendBatchAsync(batch);
                CheckDurable(log, first + BatchSize - 1, problems);
                for (int i = 0; i < BatchSize; i++)
                {
                    Place(placed, first + i, writer, index + i, problems);
                }

                index += BatchSize;
            }
            else
            {
                long sequence = await log.AppendAsync(new AppendRecord(Body(writer, index)));
                CheckDurable(log, sequence, problems);
                Place(placed, sequence, writer, index, problems);
                index++;
            }
        }
    }

    private static void CheckDurable(SegmentedLog log, long sequence, ConcurrentQueue<string> problems)
    {
        if (log.Durability == DurabilityMode.Always && log.DurableSequence <= sequence)
        {
            problems.Enqueue($"append {sequence} completed with DurableSequence {log.DurableSequence}");
        }
    }

    private static void Place(ConcurrentDictionary<long, (int, int)> placed, long sequence, int writer, int index, ConcurrentQueue<string> problems)
    {
        if (!placed.TryAdd(sequence, (writer, index)))
        {
            problems.Enqueue($"sequence {sequence} was returned twice (writer {writer}, index {index})");
        }
    }

    private static async Task ReadUntilCancelled(SegmentedLog log, int reader, bool removing, ConcurrentQueue<string> problems, CancellationToken stop)
    {
        var rng = new Random(reader);
        while (!stop.IsCancellationRequested)
        {
            long next = log.NextSequence;
            long first = log.FirstSequence;
            if (next > first)
            {
                // With a remover at work the range may start later, at the FirstSequence of the moment.
                var range = new RangeCheck(problems, rng.NextInt64(first, next), startMayMove: removing);
                log.ReadRange(range.Expected, 300, ref range, static (in RecordView record, ref RangeCheck check) => check.Visit(record));

                long sequence = rng.NextInt64(first, next);
                if (log.TryRead(sequence, out StoredRecord? single))
                {
                    Check(single.Sequence, single.Body.Span, sequence, problems);
                }
                else if (sequence >= log.FirstSequence)
                {
                    problems.Enqueue($"TryRead({sequence}) failed below NextSequence {next}");
                }
            }

            await Task.Yield();
        }
    }

    private static void AssertDenseAndExact(SegmentedLog log, ConcurrentDictionary<long, (int Writer, int Index)> placed, long total)
    {
        Assert.Equal(total, placed.Count);
        Assert.Equal(Enumerable.Range(0, (int)total).Select(i => (long)i), placed.Keys.Order());
        Assert.Equal(total, placed.Values.Distinct().Count());
        foreach ((long sequence, (int writer, int index)) in placed)
        {
            Assert.True(log.TryRead(sequence, out StoredRecord? record));
            Assert.Equal(Body(writer, index), record.Body.ToArray());
        }
    }

    // [writer][index u16][length u16][bytes derived from all three]: a reader can check a body on its own.
    private static byte[] Body(int writer, int index)
    {
        int length = 5 + ((writer * 97) + (index * 31)) % 900;
        byte[] body = new byte[length];
        body[0] = (byte)writer;
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(1), (ushort)index);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(3), (ushort)length);
        for (int i = 5; i < length; i++)
        {
            body[i] = (byte)((writer * 31) + (index * 7) + i);
        }

        return body;
    }

    private static void Check(long sequence, ReadOnlySpan<byte> body, long expectedSequence, ConcurrentQueue<string> problems)
    {
        if (sequence != expectedSequence)
        {
            problems.Enqueue($"read {expectedSequence} but got record {sequence}");
            return;
        }

        if (body.Length < 5 || !body.SequenceEqual(Body(body[0], BinaryPrimitives.ReadUInt16LittleEndian(body[1..]))))
        {
            problems.Enqueue($"record {sequence} has a body of {body.Length} bytes that is not one any writer appended");
        }
    }

    private struct RangeCheck(ConcurrentQueue<string> problems, long from, bool startMayMove)
    {
        public long Expected = from;
        private bool _started;

        public bool Visit(in RecordView record)
        {
            if (!_started && startMayMove && record.Sequence > Expected)
            {
                Expected = record.Sequence;
            }

            _started = true;
            Check(record.Sequence, record.Body, Expected, problems);
            Expected++;
            return true;
        }
    }
}
