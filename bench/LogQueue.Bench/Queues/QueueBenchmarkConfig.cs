using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace LogQueue.Bench.Queues;

/// <summary>
/// The job of the queue suites: one launch, three warmups and fifteen measured iterations, so a suite takes a
/// minute or two. Short on purpose; on a busy two-core machine the error column is wide, so compare
/// figures from one run rather than across runs. Per-message throughput is shown next to the in-process
/// goal of 1,000,000 send+receive+delete cycles per second.
/// </summary>
public sealed class QueueBenchmarkConfig : ManualConfig
{
    public QueueBenchmarkConfig()
    {
        AddJob(Job.Default
            .WithId("QueueShort")
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15));
        AddColumn(StatisticColumn.OperationsPerSecond, new GoalRatioColumn(1_000_000));
    }
}
