using LogQueue.Engine.Queues.Journal;

namespace LogQueue.Engine.Tests.Queues.Journal;

public class JournalEntryFormatTests
{
    [Fact]
    public void Every_entry_kind_round_trips()
    {
        JournalEntry[] entries =
        [
            JournalEntry.Deleted(7),
            JournalEntry.Received(9, 3, 1_700_000_000_123),
            JournalEntry.Deleted(100, 250),
            JournalEntry.Received(long.MaxValue - 1, int.MaxValue, -5),
            JournalEntry.Deleted(0, long.MaxValue),
        ];

        (List<byte[]> records, _) = Encode(entries, 1024);

        Assert.Single(records);
        Assert.Equal(entries, Decode(records));
    }

    [Fact]
    public void Adjacent_and_overlapping_deletes_in_one_append_merge_into_one_range()
    {
        JournalEntry[] entries =
        [
            JournalEntry.Deleted(5),
            JournalEntry.Deleted(6),
            JournalEntry.Deleted(4),
            JournalEntry.Deleted(7, 10),
            JournalEntry.Deleted(8, 12),
            JournalEntry.Received(20, 1, 0),
            JournalEntry.Deleted(12),      // touches [4, 12), but a receive stands between them
            JournalEntry.Deleted(14),      // does not touch 12
            JournalEntry.Deleted(13),      // fills the gap: merges with [14, 15)
        ];

        (List<byte[]> records, int written) = Encode(entries, 1024);

        Assert.Equal(
            [JournalEntry.Deleted(4, 12), JournalEntry.Received(20, 1, 0), JournalEntry.Deleted(12), JournalEntry.Deleted(13, 15)],
            Decode(records));
        Assert.Equal(4, written);
        Assert.Equal(1 + (3 * JournalEntryFormat.DeletedSize) + JournalEntryFormat.ReceivedSize, records[0].Length);
    }

    [Fact]
    public void A_batch_larger_than_a_record_is_split_into_records_that_each_fit()
    {
        JournalEntry[] entries = [.. Enumerable.Range(0, 100).Select(i => i % 3 == 0 ? JournalEntry.Deleted(i * 10) : JournalEntry.Received(i * 10, i, i))];

        (List<byte[]> records, _) = Encode(entries, JournalEntryFormat.MinRecordSize + 50);

        Assert.True(records.Count > 10);
        Assert.All(records, r => Assert.InRange(r.Length, 1 + JournalEntryFormat.DeletedSize, JournalEntryFormat.MinRecordSize + 50));
        Assert.Equal(entries, Decode(records));
    }

    [Fact]
    public void Layout_is_frozen()
    {
        // Golden bytes: tags and field order are on disk in every journal; changing them breaks old journals.
        Assert.Equal(1, (int)JournalEntryKind.Deleted);
        Assert.Equal(2, (int)JournalEntryKind.Received);
        (List<byte[]> records, _) = Encode([JournalEntry.Deleted(0x0102, 0x0304), JournalEntry.Received(0x05, 0x06, 0x0708)], 1024);

        Assert.Equal(
            Convert.FromHexString(
                "01" +
                "01" + "0201000000000000" + "0403000000000000" +
                "02" + "0500000000000000" + "06000000" + "0807000000000000"),
            records[0]);
    }

    [Fact]
    public void Invalid_entries_are_refused_before_anything_is_encoded()
    {
        Assert.Throws<ArgumentException>(() => Encode([JournalEntry.Deleted(1), default], 1024));
        Assert.Throws<ArgumentOutOfRangeException>(() => JournalEntry.Deleted(5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => JournalEntry.Deleted(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => JournalEntry.Received(1, 0, 0));
    }

    [Theory]
    [InlineData("0103", "unknown journal entry tag 0x03")]
    [InlineData("0100", "unknown journal entry tag 0x00")]
    [InlineData("02", "format version 2 is not supported")]
    [InlineData("", "the record is empty")]
    [InlineData("0101000000", "needs 17 bytes")]
    [InlineData("01" + "01" + "0500000000000000" + "0500000000000000", "is empty or negative")]
    [InlineData("01" + "02" + "0500000000000000" + "00000000" + "0000000000000000", "out of range")]
    public void A_record_that_does_not_decode_is_StorageCorrupt(string hex, string reason)
    {
        byte[] body = Convert.FromHexString(hex);

        var ex = Assert.Throws<LogQueueException>(() => Decode([body]));

        Assert.Equal(ErrorCode.StorageCorrupt, ex.Code);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains("test-source", ex.Message, StringComparison.Ordinal);
    }

    private static (List<byte[]> Records, int EntriesWritten) Encode(JournalEntry[] entries, int maxRecordSize)
    {
        byte[] buffer = new byte[JournalEntryFormat.MaxEncodedSize(entries.Length)];
        int[] ends = new int[entries.Length];
        int count = JournalEntryFormat.Encode(entries, maxRecordSize, buffer, ends, out int written);
        var records = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < count; i++)
        {
            records.Add(buffer[start..ends[i]]);
            start = ends[i];
        }

        return (records, written);
    }

    private static List<JournalEntry> Decode(List<byte[]> records)
    {
        var entries = new List<JournalEntry>();
        for (int i = 0; i < records.Count; i++)
        {
            var reader = new JournalRecordReader(records[i], i, "test-source");
            while (reader.TryRead(out JournalEntry entry))
            {
                entries.Add(entry);
            }
        }

        return entries;
    }
}
