using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Deduplication;

namespace LogQueue.Bench.Queues;

/// <summary>
/// What reopening a FIFO queue costs for its deduplication window: the scan back over the last five minutes of sends
/// that <see cref="DeduplicationWindow.Open"/> makes, for a log holding N records of 128-byte messages with 32-character
/// ids, all inside the window. The log is written once per N; each invocation rebuilds the window from it.
/// </summary>
[Config(typeof(DeduplicationRebuildBenchmarks.Config))]
[MemoryDiagnoser]
public class DeduplicationRebuildBenchmarks
{
    private string _directory = string.Empty;
    private SegmentedLog _log = null!;

    [Params(100_000, 1_000_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "logqueue-bench-" + Guid.NewGuid().ToString("N"));
        _log = SegmentedLog.Open(_directory, new SegmentedLogOptions { Durability = DurabilityMode.None });
        ReadOnlyMemory<byte> body = BenchMessages.Body(128);
        var batch = new AppendRecord[1000];
        for (int written = 0; written < Records; written += batch.Length)
        {
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = new AppendRecord(body, groupId: "group-" + (i % 100).ToString(System.Globalization.CultureInfo.InvariantCulture), deduplicationId: Guid.NewGuid().ToString("N"));
            }

            await _log.AppendBatchAsync(batch);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _log.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public int Rebuild() => DeduplicationWindow.Open(_log, static () => DeduplicationScope.Queue, TimeProvider.System).Count;

    /// <summary>A rebuild of a million records takes a good fraction of a second: a few iterations say enough.</summary>
    public sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithId("Rebuild").WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5));
    }
}
