using LogQueue.Engine.Log;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Log;

public class SegmentedLogOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_documented()
    {
        var options = new SegmentedLogOptions();
        options.Validate();
        Assert.Equal(64L << 20, options.SegmentCapacity);
        Assert.Equal((1 << 20) + (64 << 10), options.MaxRecordSize);
        Assert.Equal(DurabilityMode.Always, options.Durability);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.FlushInterval);
        Assert.False(options.VerifyAllSegments);
        Assert.Equal(SealedSegmentCorruptionPolicy.Fail, options.SealedSegmentCorruption);
        Assert.Equal(1, options.SpareSegments);
        Assert.True(options.RecycleSegments);
    }

    [Theory]
    [InlineData(4095, 1024, "SegmentCapacity")]              // below the minimum
    [InlineData(0, 1024, "SegmentCapacity")]
    [InlineData(-8, 1024, "SegmentCapacity")]
    [InlineData((1L << 30) + 8, 1024, "SegmentCapacity")]    // above the maximum
    [InlineData(4100, 1024, "multiple of 8")]                // not a multiple of the record alignment
    [InlineData(65540, 1024, "multiple of 8")]
    [InlineData(4096, 3993, "cannot hold a record")]         // 64 + align(40 + 3993) = 4104 > 4096
    [InlineData(65536, 1 << 20, "cannot hold a record")]
    [InlineData(65536, 0, "MaxRecordSize")]
    [InlineData(65536, -1, "MaxRecordSize")]
    [InlineData(65536, int.MaxValue, "MaxRecordSize")]
    public void Out_of_range_sizes_are_refused_by_Validate_and_by_Open(long capacity, int maxRecordSize, string named)
    {
        var options = new SegmentedLogOptions { SegmentCapacity = capacity, MaxRecordSize = maxRecordSize };
        AssertInvalid(options, named);
    }

    [Theory]
    [InlineData(4096, 3992)]            // the largest record a 4 KiB segment holds exactly
    [InlineData(4096, 1)]
    [InlineData(1L << 30, 1 << 20)]     // the largest capacity
    [InlineData(65536, 65536 - 104)]
    public void Sizes_at_the_limits_are_accepted(long capacity, int maxRecordSize) =>
        new SegmentedLogOptions { SegmentCapacity = capacity, MaxRecordSize = maxRecordSize }.Validate();

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(-1)]
    public void Spare_segments_outside_1_to_16_are_refused(int spares) =>
        AssertInvalid(new SegmentedLogOptions { SpareSegments = spares }, "SpareSegments");

    [Fact]
    public void A_flush_interval_must_be_positive_in_interval_mode_only()
    {
        AssertInvalid(new SegmentedLogOptions { Durability = DurabilityMode.Interval, FlushInterval = TimeSpan.Zero }, "FlushInterval");
        AssertInvalid(new SegmentedLogOptions { Durability = DurabilityMode.Interval, FlushInterval = TimeSpan.FromMilliseconds(-1) }, "FlushInterval");
        new SegmentedLogOptions { Durability = DurabilityMode.Always, FlushInterval = TimeSpan.Zero }.Validate();
    }

    [Fact]
    public void An_undefined_durability_mode_is_refused() =>
        AssertInvalid(new SegmentedLogOptions { Durability = (DurabilityMode)3 }, "Durability");

    private static void AssertInvalid(SegmentedLogOptions options, string named)
    {
        var validate = Assert.Throws<LogQueueException>(options.Validate);
        Assert.Equal(ErrorCode.InvalidParameterValue, validate.Code);
        Assert.Contains(named, validate.Message, StringComparison.Ordinal);

        // Open checks before it touches the disk: not even the directory is created.
        using var dir = new TempDirectory();
        string path = dir.Combine("log");
        var open = Assert.Throws<LogQueueException>(() => SegmentedLog.Open(path, options));
        Assert.Equal(ErrorCode.InvalidParameterValue, open.Code);
        Assert.False(Directory.Exists(path));
    }
}
