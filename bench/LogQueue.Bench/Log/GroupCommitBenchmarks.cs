using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using LogQueue.Engine.Log;

namespace LogQueue.Bench.Log;

/// <summary>
/// Durability <see cref="DurabilityMode.Always"/>: 1, 8 or 64 appenders, each awaiting
/// <see cref="SegmentedLog.AppendAsync"/> in a loop, 512 records of 128 B per call in all, reported per
/// record. The baseline is one write-and-fdatasync of 128 bytes on a preallocated file in the same
/// directory (<see cref="FsyncProbe"/>): with N appenders the best possible time per record is the
/// baseline's ÷ N, and the "Of limit" column shows how close the log gets. The mapped probe does the same
/// through a shared mapping, as the log writes, to show what that adds to each sync.
/// <para>
/// The global setup prints the fsync latency averaged over 200 syncs and the limit it implies; the
/// cleanup measures it again, prints the rate achieved over every call of the run against both limits,
/// and how many records a flush covered on average (counted from the durable sequences the appenders
/// saw; at most N). That last figure does not depend on the disk's latency, which on a shared machine
/// drifts by an order of magnitude within a minute.
/// </para>
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LimitColumnConfig))]
public class GroupCommitBenchmarks
{
    private const int RecordsPerCall = 512;
    private const int SyncsPerCall = 64;
    private const int ProbeSyncs = 200;

    private ScratchLog _scratch = null!;
    private SegmentedLog _log = null!;
    private FsyncProbe _probe = null!;
    private FsyncProbe _mappedProbe = null!;
    private AppendRecord _record;
    private Task[] _appenders = [];
    private TimeSpan _fsyncLatency;
    private long _recordsAppended;
    private long _appendingTicks;
    private long _lastDurable;
    private long _flushesSeen;

    [Params(1, 8, 64)]
    public int Appenders { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        byte[] body = new byte[128];
        new Random(42).NextBytes(body);
        _record = new AppendRecord(body);
        _appenders = new Task[Appenders];

        // 256 MiB holds 1.6 million records of 128 B, far more than a run appends: no roll, no zero-filling.
        _scratch = ScratchLog.Open("group-commit", new SegmentedLogOptions
        {
            Durability = DurabilityMode.Always,
            SegmentCapacity = 256L << 20,
        });
        _log = _scratch.Log;
        _scratch.WaitForSpare();

        _probe = FsyncProbe.Create(_scratch.Directory, mapped: false);
        _mappedProbe = FsyncProbe.Create(_scratch.Directory, mapped: true);
        _fsyncLatency = _probe.MeasureAverage(ProbeSyncs);
        TimeSpan mapped = _mappedProbe.MeasureAverage(ProbeSyncs);
        Console.WriteLine(
            $"// fdatasync after a 128 B pwrite: {_fsyncLatency.TotalMicroseconds:F0} µs on average over {ProbeSyncs} syncs " +
            $"(after a mapped write: {mapped.TotalMicroseconds:F0} µs) in {_scratch.Directory}; " +
            $"group-commit limit for {Appenders} appender(s): {Appenders / _fsyncLatency.TotalSeconds:N0} records/s");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_recordsAppended > 0)
        {
            // fsync latency drifts with whatever else uses the disk, so the limit is measured on both sides of the run.
            TimeSpan after = _probe.MeasureAverage(ProbeSyncs);
            double perSecond = _recordsAppended / TimeSpan.FromTicks(_appendingTicks).TotalSeconds;
            double limitBefore = Appenders / _fsyncLatency.TotalSeconds;
            double limitAfter = Appenders / after.TotalSeconds;
            double perFlush = (double)_recordsAppended / Math.Max(1, _flushesSeen);
            Console.WriteLine(
                $"// {Appenders} appender(s): {_recordsAppended:N0} records at {perSecond:N0} records/s over all calls = " +
                $"{perSecond / limitBefore:P0} of the limit before the run ({limitBefore:N0}/s, fsync {_fsyncLatency.TotalMicroseconds:F0} µs), " +
                $"{perSecond / limitAfter:P0} of the limit after it ({limitAfter:N0}/s, fsync {after.TotalMicroseconds:F0} µs); " +
                $"≈{_flushesSeen:N0} flushes of {perFlush:F1} records = {perFlush / Appenders:P0} of the {Appenders} appender(s) per flush");
        }

        _mappedProbe.Dispose();
        _probe.Dispose();
        _scratch.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SyncsPerCall)]
    public void FsyncAlone()
    {
        for (int i = 0; i < SyncsPerCall; i++)
        {
            _probe.WriteAndSync();
        }
    }

    [Benchmark(OperationsPerInvoke = SyncsPerCall)]
    public void MappedFsyncAlone()
    {
        for (int i = 0; i < SyncsPerCall; i++)
        {
            _mappedProbe.WriteAndSync();
        }
    }

    [Benchmark(OperationsPerInvoke = RecordsPerCall)]
    public async Task ConcurrentAppends()
    {
        long start = Stopwatch.GetTimestamp();
        int each = RecordsPerCall / Appenders;
        for (int i = 0; i < _appenders.Length; i++)
        {
            _appenders[i] = AppendManyAsync(each);
        }

        await Task.WhenAll(_appenders).ConfigureAwait(false);
        _appendingTicks += Stopwatch.GetElapsedTime(start).Ticks;
        _recordsAppended += RecordsPerCall;
        _scratch.RemoveSealedSegments();
    }

    private async Task AppendManyAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await _log.AppendAsync(_record).ConfigureAwait(false);
            CountFlush(_log.DurableSequence);
        }
    }

    // A durable sequence no appender reported before marks a new flush. Appenders released by the same
    // flush race here; the compare-exchange lets one of them count it.
    private void CountFlush(long durable)
    {
        long last = Volatile.Read(ref _lastDurable);
        if (durable > last && Interlocked.CompareExchange(ref _lastDurable, durable, last) == last)
        {
            Interlocked.Increment(ref _flushesSeen);
        }
    }

    internal sealed class LimitColumnConfig : ManualConfig
    {
        public LimitColumnConfig() => AddColumn(new GroupCommitLimitColumn(nameof(Appenders), nameof(ConcurrentAppends)));
    }
}
