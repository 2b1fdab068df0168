using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using LogQueue.Engine.Log;

namespace LogQueue.Bench.Log;

/// <summary>
/// Reads from a log prefilled with 1,048,576 records of 128 B (about 170 MB over three 64 MiB segments,
/// well past the CPU caches): a sequential <see cref="SegmentedLog.ReadRange"/> in place (the baseline),
/// and <see cref="SegmentedLog.TryRead"/> at random sequences, in place and copied out. 1,024 records per
/// call, reported per record. Every visitor reads the sequence stamped into the body, so the bytes are
/// really touched.
/// </summary>
[MemoryDiagnoser]
public class ReadBenchmarks
{
    private const int Records = 1 << 20;
    private const int PerCall = 1024;

    private static readonly RecordRangeVisitor<long> SumRange = static (in RecordView record, ref long sum) =>
    {
        sum += BinaryPrimitives.ReadInt64LittleEndian(record.Body);
        return true;
    };

    private static readonly RecordVisitor<long> SumOne = static (in RecordView record, ref long sum) =>
        sum += BinaryPrimitives.ReadInt64LittleEndian(record.Body);

    private ScratchLog _scratch = null!;
    private SegmentedLog _log = null!;
    private long[] _randomSequences = [];
    private int _randomCursor;
    private long _rangeCursor;

    [GlobalSetup]
    public void Setup()
    {
        _scratch = ScratchLog.Open("read", new SegmentedLogOptions { Durability = DurabilityMode.None });
        _log = _scratch.Log;

        var batch = new AppendRecord[PerCall];
        for (long next = 0; next < Records; next += PerCall)
        {
            for (int i = 0; i < batch.Length; i++)
            {
                byte[] body = new byte[128];
                BinaryPrimitives.WriteInt64LittleEndian(body, next + i);
                batch[i] = new AppendRecord(body);
            }

            _log.AppendBatchAsync(batch).AsTask().GetAwaiter().GetResult();
        }

        // The roll into the last segment started a new spare; let its zero-fill finish before measuring.
        _scratch.WaitForSpare();

        var random = new Random(42);
        _randomSequences = new long[Records];
        for (int i = 0; i < _randomSequences.Length; i++)
        {
            _randomSequences[i] = random.NextInt64(Records);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _scratch.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = PerCall)]
    public long ReadRangeSequential()
    {
        long sum = 0;
        int read = _log.ReadRange(_rangeCursor, PerCall, ref sum, SumRange);
        _rangeCursor = _rangeCursor + read >= Records ? 0 : _rangeCursor + read;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = PerCall)]
    public long TryReadRandomInPlace()
    {
        long sum = 0;
        for (int i = 0; i < PerCall; i++)
        {
            _log.TryRead(NextRandomSequence(), ref sum, SumOne);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = PerCall)]
    public long TryReadRandomCopy()
    {
        long sum = 0;
        for (int i = 0; i < PerCall; i++)
        {
            if (_log.TryRead(NextRandomSequence(), out StoredRecord? record))
            {
                sum += BinaryPrimitives.ReadInt64LittleEndian(record.Body.Span);
            }
        }

        return sum;
    }

    private long NextRandomSequence()
    {
        long sequence = _randomSequences[_randomCursor];
        _randomCursor = (_randomCursor + 1) & (Records - 1);
        return sequence;
    }
}
