using FsCheck;
using FsCheck.Fluent;
using LogQueue.Bench.Load.Histograms;
using LogQueue.Bench.Tests.Infrastructure;

namespace LogQueue.Bench.Tests.Histograms;

public class LatencyHistogramTests
{
    private const long OneMicrosecond = 1_000;
    private const long SixtySeconds = 60_000_000_000;
    private const double Tolerance = 0.01;

    private static readonly double[] Percentiles = [0, 50, 90, 99, 99.9, 100];

    [Fact]
    public void Percentiles_of_log_uniform_values_from_1_us_to_60_s_are_within_1_percent_of_exact()
    {
        var random = new Random(20_261_123);

        // 99,999 rather than 100,000 values: no percentile here falls exactly on a whole rank (see the rank test below).
        long[] values = Enumerable.Range(0, 99_999).Select(_ => LogUniform(random)).ToArray();
        var histogram = new LatencyHistogram();
        foreach (long value in values)
        {
            histogram.Record(value);
        }

        Array.Sort(values);
        foreach (double p in Percentiles)
        {
            long exact = ExactPercentile.Of(values, p);
            long reported = histogram.ValueAtPercentile(p);
            Assert.True(
                ExactPercentile.RelativeError(reported, exact) <= Tolerance,
                $"p{p}: reported {reported} ns, exact {exact} ns ({ExactPercentile.RelativeError(reported, exact):P3} off)");
        }

        Assert.Equal(values.Length, histogram.TotalCount);
        Assert.Equal(values[0], histogram.Min);
        Assert.Equal(values[^1], histogram.Max);
        Assert.Equal(values.Average(v => (double)v), histogram.Mean, tolerance: values.Average(v => (double)v) * 1e-9);
    }

    [Fact]
    public void Every_value_from_1_us_to_60_s_is_reported_within_1_percent_when_alone()
    {
        // The lower of two values is their median; stepping by 0.1% visits every bucket of the range.
        var histogram = new LatencyHistogram();
        for (double value = OneMicrosecond; value <= SixtySeconds; value *= 1.001)
        {
            histogram.Reset();
            histogram.Record((long)value);
            histogram.Record((long)value * 2);
            long reported = histogram.ValueAtPercentile(50);
            Assert.True(
                ExactPercentile.RelativeError(reported, (long)value) <= Tolerance,
                $"{(long)value} ns reported as {reported} ns");
        }
    }

    [Fact]
    public void Percentiles_of_arbitrary_sets_of_values_in_range_are_within_1_percent_of_exact()
    {
        Gen<long> value = Gen.Choose(0, 1_000_000).Select(i => (long)Math.Round(OneMicrosecond * Math.Pow(SixtySeconds / (double)OneMicrosecond, i / 1_000_000.0)));
        Gen<long> clustered = Gen.Choose(1_000, 5_000).Select(i => (long)i); // many values in few buckets, equal values
        Gen<long[]> sets = Gen.Choose(1, 400).SelectMany(n => Gen.Frequency((3, value), (1, clustered)).ArrayOf(n));
        Gen<double> percentile = Gen.Frequency(
            (3, Gen.Elements(Percentiles)),
            (1, Gen.Choose(0, 1000).Select(i => i / 10.0)));
        Arbitrary<(long[] Values, double Percentile)> cases = Arb.From(sets.SelectMany(_ => percentile, (v, p) => (v, p)));

        Property property = Prop.ForAll(cases, c =>
        {
            var histogram = new LatencyHistogram();
            foreach (long v in c.Values)
            {
                histogram.Record(v);
            }

            long[] sorted = [.. c.Values.Order()];
            long exact = ExactPercentile.Of(sorted, c.Percentile);

            // Decimal and double agree on the rank unless p × n / 100 is a whole number; the rank test covers that case.
            long rank = (long)Math.Ceiling((decimal)c.Percentile / 100m * sorted.Length);
            long doubleRank = (long)Math.Ceiling(c.Percentile / 100 * sorted.Length);
            return rank != doubleRank
                || (ExactPercentile.RelativeError(histogram.ValueAtPercentile(c.Percentile), exact) <= Tolerance
                    && histogram.Min == sorted[0]
                    && histogram.Max == sorted[^1]
                    && histogram.TotalCount == sorted.Length);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithEndSize(400), property);
    }

    [Fact]
    public void The_rank_of_a_percentile_is_exact_when_p_times_n_is_a_whole_number()
    {
        // 999 values of 1 ms and one of 1 s: the 999th value (p99.9) is 1 ms.
        var histogram = new LatencyHistogram();
        histogram.Record(1_000_000, 999);
        histogram.Record(1_000_000_000);
        Assert.InRange(histogram.ValueAtPercentile(99.9), 990_000, 1_010_000);

        // 7 of 100 values of 1 ms, the rest of 1 s: the 7th value (p7) is 1 ms.
        var seven = new LatencyHistogram();
        seven.Record(1_000_000, 7);
        seven.Record(1_000_000_000, 93);
        Assert.InRange(seven.ValueAtPercentile(7), 990_000, 1_010_000);
    }

    [Fact]
    public void Recording_a_value_count_times_equals_recording_it_count_times_one_by_one()
    {
        var random = new Random(7);
        var batched = new LatencyHistogram();
        var oneByOne = new LatencyHistogram();
        for (int i = 0; i < 200; i++)
        {
            long value = LogUniform(random);
            int count = random.Next(1, 20);
            batched.Record(value, count);
            for (int j = 0; j < count; j++)
            {
                oneByOne.Record(value);
            }
        }

        AssertSame(oneByOne, batched);
    }

    [Fact]
    public void A_count_of_zero_or_less_records_nothing()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(5_000, 0);
        histogram.Record(5_000, -3);
        Assert.Equal(0, histogram.TotalCount);
        Assert.Equal(0, histogram.Max);
        Assert.Equal(0, histogram.Min);
    }

    [Fact]
    public void Merging_two_histograms_equals_recording_every_value_in_one()
    {
        var random = new Random(11);
        var first = new LatencyHistogram();
        var second = new LatencyHistogram();
        var all = new LatencyHistogram();
        for (int i = 0; i < 5_000; i++)
        {
            long value = LogUniform(random);
            (i % 3 == 0 ? first : second).Record(value);
            all.Record(value);
        }

        first.Add(second);

        AssertSame(all, first);
    }

    [Fact]
    public void Merging_an_empty_histogram_changes_nothing_and_merging_into_an_empty_one_copies()
    {
        var values = new LatencyHistogram();
        values.Record(2_000);
        values.Record(9_000_000);

        var empty = new LatencyHistogram();
        var copy = new LatencyHistogram();
        copy.Add(values);
        values.Add(empty);

        Assert.Equal(2_000, values.Min);
        Assert.Equal(9_000_000, values.Max);
        AssertSame(values, copy);
    }

    [Fact]
    public void An_empty_histogram_answers_0()
    {
        var histogram = new LatencyHistogram();
        foreach (double p in Percentiles)
        {
            Assert.Equal(0, histogram.ValueAtPercentile(p));
        }

        Assert.Equal(0, histogram.TotalCount);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(0, histogram.Max);
        Assert.Equal(0, histogram.Mean);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(100.1)]
    public void A_percentile_outside_0_to_100_is_refused(double percentile) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyHistogram().ValueAtPercentile(percentile));

    [Fact]
    public void Values_below_256_ns_are_exact()
    {
        for (long value = 0; value < 256; value++)
        {
            var histogram = new LatencyHistogram();
            histogram.Record(value);
            histogram.Record(value + 1_000);
            Assert.Equal(value, histogram.ValueAtPercentile(50));
        }
    }

    [Fact]
    public void A_value_above_the_highest_trackable_keeps_the_exact_max()
    {
        const long hundredSeconds = 100_000_000_000;
        Assert.True(hundredSeconds > LatencyHistogram.HighestTrackableNanoseconds);
        var histogram = new LatencyHistogram();
        histogram.Record(1_000_000);
        histogram.Record(hundredSeconds);
        histogram.Record(long.MaxValue / 2);

        Assert.Equal(long.MaxValue / 2, histogram.Max);
        Assert.Equal(3, histogram.TotalCount);
        Assert.Equal(1_000_000, histogram.Min);

        // Alone, it is its own every percentile (clamped to the exact min and max).
        var alone = new LatencyHistogram();
        alone.Record(hundredSeconds);
        Assert.Equal(hundredSeconds, alone.ValueAtPercentile(50));
        Assert.Equal(hundredSeconds, alone.Max);
    }

    [Fact]
    public void Negative_values_count_as_0()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(-5);
        histogram.Record(-1_000_000, 3);
        histogram.Record(10);

        Assert.Equal(5, histogram.TotalCount);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(10, histogram.Max);
        Assert.Equal(0, histogram.ValueAtPercentile(80));
        Assert.Equal(10, histogram.ValueAtPercentile(100));
        Assert.Equal(2, histogram.Mean, tolerance: 1e-9);
    }

    [Fact]
    public void Reset_forgets_every_value()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(5_000_000, 10);
        histogram.Reset();

        AssertSame(new LatencyHistogram(), histogram);
        histogram.Record(3_000);
        Assert.Equal(3_000, histogram.Min);
        Assert.Equal(3_000, histogram.Max);
    }

    [Fact]
    public void A_live_copy_has_the_same_counts_and_percentiles()
    {
        var random = new Random(3);
        var live = new LatencyHistogram();
        for (int i = 0; i < 2_000; i++)
        {
            live.Record(LogUniform(random));
        }

        var copy = new LatencyHistogram();
        copy.Record(1); // overwritten, not added to
        copy.CopyLiveFrom(live);

        AssertSame(live, copy);
    }

    [Fact]
    public void A_live_copy_of_an_empty_histogram_is_empty()
    {
        var copy = new LatencyHistogram();
        copy.Record(77_000);
        copy.CopyLiveFrom(new LatencyHistogram());

        AssertSame(new LatencyHistogram(), copy);
    }

    [Fact]
    public void The_difference_of_two_live_copies_holds_the_values_of_the_interval()
    {
        var random = new Random(5);
        var live = new LatencyHistogram();
        for (int i = 0; i < 3_000; i++)
        {
            live.Record(LogUniform(random));
        }

        var earlier = new LatencyHistogram();
        earlier.CopyLiveFrom(live);

        // The interval's values lie in 2 ms to 4 ms: well inside what came before, so min and max of the whole
        // histogram say nothing about them.
        var interval = new LatencyHistogram();
        for (int i = 0; i < 1_000; i++)
        {
            long value = random.NextInt64(2_000_000, 4_000_000);
            live.Record(value);
            interval.Record(value);
        }

        var later = new LatencyHistogram();
        later.CopyLiveFrom(live);
        var difference = new LatencyHistogram();
        difference.Record(123_456_789); // overwritten
        difference.SetToDifference(later, earlier);

        Assert.Equal(interval.TotalCount, difference.TotalCount);
        Assert.Equal(interval.Mean, difference.Mean, tolerance: interval.Mean * 1e-6);
        foreach (double p in Percentiles)
        {
            Assert.True(
                ExactPercentile.RelativeError(difference.ValueAtPercentile(p), interval.ValueAtPercentile(p)) <= Tolerance,
                $"p{p}: difference {difference.ValueAtPercentile(p)} ns, interval {interval.ValueAtPercentile(p)} ns");
        }

        // Min and max become the bounds of the interval's first and last buckets.
        Assert.InRange(difference.Min, interval.Min * (1 - Tolerance), interval.Min);
        Assert.InRange(difference.Max, interval.Max, interval.Max * (1 + Tolerance));
    }

    [Fact]
    public void The_difference_of_two_equal_copies_is_empty()
    {
        var live = new LatencyHistogram();
        live.Record(4_000, 10);
        var earlier = new LatencyHistogram();
        earlier.CopyLiveFrom(live);
        var later = new LatencyHistogram();
        later.CopyLiveFrom(live);

        var difference = new LatencyHistogram();
        difference.SetToDifference(later, earlier);

        Assert.Equal(0, difference.TotalCount);
        Assert.Equal(0, difference.ValueAtPercentile(99));
        Assert.Equal(0, difference.Min);
        Assert.Equal(0, difference.Max);
        Assert.Equal(0, difference.Mean);
    }

    private static long LogUniform(Random random) =>
        (long)Math.Round(OneMicrosecond * Math.Pow(SixtySeconds / (double)OneMicrosecond, random.NextDouble()));

    private static void AssertSame(LatencyHistogram expected, LatencyHistogram actual)
    {
        Assert.Equal(expected.TotalCount, actual.TotalCount);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.Equal(expected.Mean, actual.Mean, tolerance: Math.Max(1e-9, Math.Abs(expected.Mean) * 1e-12));
        for (int permille = 0; permille <= 1000; permille++)
        {
            Assert.Equal(expected.ValueAtPercentile(permille / 10.0), actual.ValueAtPercentile(permille / 10.0));
        }
    }
}
