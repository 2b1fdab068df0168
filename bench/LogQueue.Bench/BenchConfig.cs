using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LogQueue.Bench.Columns;
using Perfolizer.Horology;

namespace LogQueue.Bench;

/// <summary>
/// The configuration every suite runs with unless the command line names a job (<c>--job short</c> and
/// friends replace the default job below).
/// </summary>
internal static class BenchConfig
{
    /// <summary>
    /// A short job, run in this process. In-process because an out-of-process run generates and builds a
    /// project per run, restoring and rebuilding the engine with it, which also races any other build in
    /// the same tree. The suites here are dominated by memory copies, page
    /// faults and fsyncs, which process isolation does not change. Iterations of 100 ms with 3 warmups and 8
    /// measurements keep the whole set to a few minutes; the figures carry wide error bars on a busy machine,
    /// which is why every suite has a baseline measured in the same run and the Median column is shown.
    /// </summary>
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(8)
            .WithIterationTime(TimeInterval.FromMilliseconds(100))
            .WithId("Quick")
            .AsDefault())
        .AddColumn(StatisticColumn.Median, RecordsPerSecondColumn.Instance);
}
