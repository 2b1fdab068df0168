using LogQueue.Bench.Load.Histograms;

namespace LogQueue.Bench.Load.Reporting;

/// <summary>A latency distribution in microseconds.</summary>
/// <param name="Count">Values recorded (messages).</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
/// <param name="Max">Largest value, exact.</param>
/// <param name="Mean">Mean.</param>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    /// <summary>The summary of <paramref name="histogram"/> (nanoseconds in, microseconds out).</summary>
    public static LatencySummary Of(LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return new LatencySummary(
            histogram.TotalCount,
            Micro(histogram.ValueAtPercentile(50)),
            Micro(histogram.ValueAtPercentile(90)),
            Micro(histogram.ValueAtPercentile(99)),
            Micro(histogram.ValueAtPercentile(99.9)),
            Micro(histogram.Max),
            Math.Round(histogram.Mean / 1000, 1));
    }

    private static double Micro(long nanoseconds) => Math.Round(nanoseconds / 1000.0, 1);
}
