using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using LogQueue.Engine.Log;
using Perfolizer.Mathematics.OutlierDetection;

namespace LogQueue.Bench.Log;

/// <summary>
/// One thread appending records of 128 B and 4 KiB bodies, one at a time or 64 at once, in the modes
/// where an append does not wait for a flush. Every method appends 64 records per call and reports per
/// record. The baseline encodes the same 64 records (CRC included) into a small reused array: the CPU
/// floor of an append, so the ratio is what the log adds on top (the lock, the index, writing into
/// fresh pages of the mapping instead of a cached buffer).
/// <para>
/// Segments are 1 GiB so that rolls are rare (one per 6.4 million records of 128 B, 260,000 of 4 KiB);
/// sealed segments are removed after each call, which keeps the disk bounded (active, spare, one retiring
/// file). Outliers are kept: a roll (which fdatasyncs the sealed segment) or a wait for the next spare
/// while the allocator zero-fills it is part of the sustained cost and shows in the Mean; the Median is
/// the hot path. The global cleanup prints the rolls, the waits and the longest call of the run.
/// </para>
/// </summary>
[MemoryDiagnoser]
[Outliers(OutlierMode.DontRemove)]
public class AppendBenchmarks
{
    private const int Batch = 64;
    private const long Timestamp = 1_700_000_000_000;

    private readonly int _maxRecordSize = new SegmentedLogOptions().MaxRecordSize;
    private ScratchLog _scratch = null!;
    private SegmentedLog _log = null!;
    private AppendRecord[] _records = [];
    private byte[] _encoded = [];
    private long _encodedSequence;
    private int _rolls;
    private int _spareWaits;
    private long _longestCallTicks;

    [Params(128, 4096)]
    public int BodySize { get; set; }

    [Params(DurabilityMode.None, DurabilityMode.Interval)]
    public DurabilityMode Durability { get; set; }

    [GlobalSetup(Target = nameof(EncodeOnly))]
    public void SetupRecords()
    {
        byte[] body = new byte[BodySize];
        new Random(42).NextBytes(body);
        _records = new AppendRecord[Batch];
        _records.AsSpan().Fill(new AppendRecord(body));
        _encoded = new byte[Batch * (RecordFormat.HeaderSize + BodySize + RecordFormat.Alignment)];
    }

    [GlobalSetup(Targets = [nameof(TryAppendSingle), nameof(AppendAsyncSingle), nameof(TryAppendBatch), nameof(AppendBatchAsync)])]
    public void SetupLog()
    {
        SetupRecords();
        _scratch = ScratchLog.Open("append", new SegmentedLogOptions
        {
            Durability = Durability,
            SegmentCapacity = SegmentedLogOptions.MaxSegmentCapacity,
        });
        _log = _scratch.Log;
        _scratch.WaitForSpare();
    }

    [GlobalCleanup(Targets = [nameof(TryAppendSingle), nameof(AppendAsyncSingle), nameof(TryAppendBatch), nameof(AppendBatchAsync)])]
    public void CleanupLog()
    {
        Console.WriteLine(
            $"// {BodySize} B, {Durability}: {_log.NextSequence:N0} records appended, {_rolls} segment roll(s), " +
            $"{_spareWaits} append(s) waited for a spare segment, longest call (64 records) {TimeSpan.FromTicks(_longestCallTicks).TotalMilliseconds:F1} ms");
        _scratch.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int EncodeOnly()
    {
        Span<byte> destination = _encoded;
        int offset = 0;
        for (int i = 0; i < _records.Length; i++)
        {
            int length = RecordFormat.Measure(in _records[i], _maxRecordSize);
            RecordFormat.Write(destination[offset..], length, _encodedSequence++, Timestamp, in _records[i]);
            offset += RecordFormat.Align(length);
        }

        return offset;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long TryAppendSingle()
    {
        long start = Stopwatch.GetTimestamp();
        long sequence = 0;
        for (int i = 0; i < _records.Length; i++)
        {
            if (!_log.TryAppend(in _records[i], out sequence))
            {
                sequence = WaitForSpareAndAppend(_records.AsMemory(i, 1));
            }
        }

        EndCall(start);
        return sequence;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async ValueTask<long> AppendAsyncSingle()
    {
        long start = Stopwatch.GetTimestamp();
        long sequence = 0;
        for (int i = 0; i < _records.Length; i++)
        {
            ValueTask<long> append = _log.AppendAsync(_records[i]);
            if (!append.IsCompleted)
            {
                _spareWaits++;
            }

            sequence = await append.ConfigureAwait(false);
        }

        EndCall(start);
        return sequence;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long TryAppendBatch()
    {
        long start = Stopwatch.GetTimestamp();
        if (!_log.TryAppend(_records, out long first))
        {
            first = WaitForSpareAndAppend(_records);
        }

        EndCall(start);
        return first;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async ValueTask<long> AppendBatchAsync()
    {
        long start = Stopwatch.GetTimestamp();
        ValueTask<long> append = _log.AppendBatchAsync(_records);
        if (!append.IsCompleted)
        {
            _spareWaits++;
        }

        long first = await append.ConfigureAwait(false);
        EndCall(start);
        return first;
    }

    // Keeps the call's time when it is the longest so far (a roll syncs the sealed segment, and that stall
    // should be visible), then runs retention: a length check unless the log rolled.
    private void EndCall(long start)
    {
        _longestCallTicks = Math.Max(_longestCallTicks, Stopwatch.GetElapsedTime(start).Ticks);
        _rolls += _scratch.RemoveSealedSegments();
    }

    // TryAppend refused: the batch needs a new segment and the allocator has not finished the spare.
    private long WaitForSpareAndAppend(ReadOnlyMemory<AppendRecord> records)
    {
        _spareWaits++;
        return _log.AppendBatchAsync(records).AsTask().GetAwaiter().GetResult();
    }
}
