using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace LogQueue.Bench.Timers;

/// <summary>
/// The job of the timer suites: one launch, three warmups, twenty measured iterations of one invocation
/// each. An invocation handles a whole population of entries (OperationsPerInvoke says how many), which
/// lets the schedule and cancel cases set up and tear down that population around each iteration
/// without a per-invocation setup spoiling the figures.
/// </summary>
public sealed class TimerBenchmarkConfig : ManualConfig
{
    public TimerBenchmarkConfig()
    {
        AddJob(Job.Default
            .WithId("TimerShort")
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(20)
            .WithInvocationCount(1)
            .WithUnrollFactor(1));
    }
}
