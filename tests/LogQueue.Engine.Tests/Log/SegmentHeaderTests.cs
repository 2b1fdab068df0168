using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;

namespace LogQueue.Engine.Tests.Log;

public class SegmentHeaderTests
{
    [Fact]
    public void Layout_constants_are_frozen()
    {
        Assert.Equal(64, SegmentHeader.Size);
        Assert.Equal(1u, SegmentHeader.FormatVersion);
        Assert.Equal("LQSEGMNT"u8.ToArray(), SegmentHeader.Magic.ToArray());
    }

    [Theory]
    [InlineData(0, GoldenBytes.Header0)]
    [InlineData(42, GoldenBytes.Header42)]
    public void A_header_is_written_as_the_golden_bytes(long baseSequence, string golden)
    {
        byte[] destination = Enumerable.Repeat((byte)0xEE, 80).ToArray();
        SegmentHeader.Write(destination, baseSequence, 8192, TestRecords.Epoch);

        Assert.Equal(golden, Convert.ToHexString(destination, 0, 64));
        Assert.All(destination[64..], b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public void Validate_accepts_the_golden_header_and_names_each_problem()
    {
        byte[] golden = Convert.FromHexString(GoldenBytes.Header42);
        Assert.Null(SegmentHeader.Validate(golden, 42, 8192));
        Assert.Contains("base sequence 42 does not match the file name's 43", SegmentHeader.Validate(golden, 43, 8192), StringComparison.Ordinal);
        Assert.Contains("capacity 8192 does not match the file's length 16384", SegmentHeader.Validate(golden, 42, 16384), StringComparison.Ordinal);

        byte[] badMagic = (byte[])golden.Clone();
        badMagic[0] = (byte)'X';
        Assert.Contains("magic", SegmentHeader.Validate(badMagic, 42, 8192), StringComparison.Ordinal);

        byte[] badCrc = (byte[])golden.Clone();
        badCrc[40] = 1;
        Assert.Contains("CRC", SegmentHeader.Validate(badCrc, 42, 8192), StringComparison.Ordinal);
    }
}
