using LogQueue.Bench.Load.Options;

namespace LogQueue.Bench.Tests.Options;

public class MessageSizeRangeTests
{
    [Theory]
    [InlineData("128", 128, 128)]
    [InlineData(" 128 ", 128, 128)]
    [InlineData("32", 32, 32)]
    [InlineData("1K", 1024, 1024)]
    [InlineData("1k", 1024, 1024)]
    [InlineData("2KiB", 2048, 2048)]
    [InlineData("2kib", 2048, 2048)]
    [InlineData("1M", 1 << 20, 1 << 20)]
    [InlineData("1MiB", 1 << 20, 1 << 20)]
    [InlineData("512B", 512, 512)]
    [InlineData("100-4096", 100, 4096)]
    [InlineData("100 - 16KiB", 100, 16 * 1024)]
    [InlineData("1K-1M", 1024, 1 << 20)]
    [InlineData("64-64", 64, 64)]
    public void Parses_sizes_and_ranges_with_suffixes(string text, int min, int max)
    {
        MessageSizeRange range = MessageSizeRange.Parse(text);
        Assert.Equal(new MessageSizeRange(min, max), range);
        Assert.Equal(min == max, range.IsFixed);
    }

    [Theory]
    [InlineData("31")] // below the header
    [InlineData("0")]
    [InlineData("1048577")] // above 1 MiB
    [InlineData("2M")]
    [InlineData("1025K")]
    [InlineData("16-64")]
    [InlineData("64-2MiB")]
    [InlineData("4096-100")] // min above max
    [InlineData("1-2-3")]
    [InlineData("-64")]
    [InlineData("")]
    [InlineData("K")]
    [InlineData("abc")]
    [InlineData("1.5K")]
    [InlineData("+64")]
    [InlineData("99999999999999999999")]
    [InlineData("4194304G")]
    public void Refuses_malformed_and_out_of_range_sizes(string text) =>
        Assert.Throws<FormatException>(() => MessageSizeRange.Parse(text));

    [Theory]
    [InlineData("17592186044417M")] // (2^44 + 1) × 2^20 = 2^64 + 2^20, wraps to 1 MiB
    [InlineData("18014398509481985K")] // (2^54 + 1) × 2^10 wraps to 1 KiB
    public void Refuses_byte_counts_whose_product_overflows(string text) =>
        Assert.Throws<FormatException>(() => MessageSizeRange.Parse(text));

    [Fact]
    public void Next_stays_in_the_range_and_reaches_both_ends()
    {
        var range = new MessageSizeRange(100, 110);
        var random = new Random(1);
        int[] sizes = Enumerable.Range(0, 2_000).Select(_ => range.Next(random)).ToArray();
        Assert.All(sizes, s => Assert.InRange(s, 100, 110));
        Assert.Contains(100, sizes);
        Assert.Contains(110, sizes);
        Assert.Equal(105, range.Mean);

        var fixedSize = new MessageSizeRange(128, 128);
        Assert.Equal(128, fixedSize.Next(random));
    }

    [Theory]
    [InlineData("128", "128")]
    [InlineData("1KiB", "1024")]
    [InlineData("100-4K", "100-4096")]
    public void Reads_back_as_the_command_line_text(string text, string expected)
    {
        Assert.Equal(expected, MessageSizeRange.Parse(text).ToString());
        Assert.Equal(MessageSizeRange.Parse(text), MessageSizeRange.Parse(MessageSizeRange.Parse(text).ToString()));
    }
}
