using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;

namespace LogQueue.Engine.Tests.Log;

public class RecordFormatTests
{
    [Fact]
    public void Layout_constants_are_frozen()
    {
        Assert.Equal(40, RecordFormat.HeaderSize);
        Assert.Equal(8, RecordFormat.Alignment);
        Assert.Equal(255, RecordFormat.MaxIdBytes);
    }

    [Fact]
    public void A_record_is_written_as_the_golden_bytes()
    {
        AppendRecord record = GoldenBytes.Fields(GoldenBytes.Record42Timestamp);
        int length = RecordFormat.Measure(in record, 1024);
        Assert.Equal(51, length);

        // Start from garbage: every byte of the record and of its padding must be written, and nothing after.
        byte[] destination = Enumerable.Repeat((byte)0xEE, 64).ToArray();
        RecordFormat.Write(destination, length, 42, GoldenBytes.Record42Timestamp, in record);

        Assert.Equal(GoldenBytes.Record42, Convert.ToHexString(destination, 0, RecordFormat.Align(length)));
        Assert.All(destination[56..], b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public void The_golden_record_verifies_and_reads_back_every_field()
    {
        byte[] bytes = Convert.FromHexString(GoldenBytes.Record42 + "0000000000000000");
        Assert.Null(RecordFormat.Verify(bytes, 42, checkCrc: true, out int length));
        Assert.Equal(51, length);
        Assert.Equal(51, RecordFormat.ReadLength(bytes));

        StoredRecord stored = RecordFormat.View(bytes.AsSpan(0, length)).ToStoredRecord();
        GoldenBytes.Expected(GoldenBytes.Record42Timestamp).AssertMatches(42, stored);
    }

    [Fact]
    public void Verify_names_each_kind_of_damage()
    {
        byte[] golden = Convert.FromHexString(GoldenBytes.Record42 + "0000000000000000");

        Assert.Contains("sequence 42 where 43 was expected", RecordFormat.Verify(golden, 43, true, out _), StringComparison.Ordinal);

        byte[] flippedBody = (byte[])golden.Clone();
        flippedBody[48] ^= 0x20;
        Assert.Contains("CRC-32C", RecordFormat.Verify(flippedBody, 42, true, out _), StringComparison.Ordinal);
        Assert.Null(RecordFormat.Verify(flippedBody, 42, checkCrc: false, out _));

        byte[] longerLength = (byte[])golden.Clone();
        longerLength[0] = 52;
        Assert.Contains("field lengths add up to 51", RecordFormat.Verify(longerLength, 42, false, out _), StringComparison.Ordinal);

        byte[] hugeLength = (byte[])golden.Clone();
        hugeLength[3] = 0x10;
        Assert.Contains("outside", RecordFormat.Verify(hugeLength, 42, false, out _), StringComparison.Ordinal);

        Assert.Null(RecordFormat.Verify(new byte[100], 42, true, out int end));
        Assert.Equal(0, end);
        Assert.Contains("too short", RecordFormat.Verify(new byte[] { 0, 0, 1 }, 42, true, out _), StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_counts_ids_in_utf8_bytes()
    {
        var record = new AppendRecord(new byte[10], new byte[3], "é", "ab");
        Assert.Equal(40 + 10 + 3 + 2 + 2, RecordFormat.Measure(in record, 17));
        Assert.Equal(ErrorCode.MessageTooLong, Assert.Throws<LogQueueException>(() => RecordFormat.Measure(in record, 16)).Code);
    }
}
