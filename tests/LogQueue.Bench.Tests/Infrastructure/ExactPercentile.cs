namespace LogQueue.Bench.Tests.Infrastructure;

/// <summary>
/// The reference a histogram is held to: the value at rank ceil(p/100 × n) of the sorted values (rank at least 1),
/// computed in decimal so that the rank is the mathematical one (99.9% of 1,000 values is rank 999, not 1,000).
/// </summary>
internal static class ExactPercentile
{
    public static long Of(long[] sorted, double percentile)
    {
        long rank = (long)Math.Ceiling((decimal)percentile / 100m * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    /// <summary>|reported - exact| / exact; 0 when both are 0.</summary>
    public static double RelativeError(long reported, long exact) =>
        exact == 0 ? (reported == 0 ? 0 : double.PositiveInfinity) : Math.Abs(reported - exact) / (double)exact;
}
