using LogQueue.Engine.Log;

namespace LogQueue.Engine.Tests.Support;

/// <summary>
/// Golden bytes of on-disk format version 1. The hex was worked out from the layout documented on
/// RecordFormat and SegmentHeader, with CRCs from an independent bitwise CRC-32C (reflected polynomial
/// 0x82F63B78); nothing here was produced by the engine. If a test comparing against these fails, the
/// on-disk format changed and logs written by earlier builds no longer read.
/// </summary>
internal static class GoldenBytes
{
    /// <summary>The timestamp of <see cref="Record42"/>: 2026-01-01T00:00:00.123Z.</summary>
    public const long Record42Timestamp = 1_767_225_600_123;

    /// <summary>
    /// Sequence 42, timestamp 1767225600123, delay 1500, flags Compressed|Moved, group "g1", dedup "d",
    /// attributes A1 A2 A3, body "hello": 40 + 11 = 51 bytes, padded to 56.
    /// </summary>
    public const string Record42 =
        "33000000" + "7C316B7E"         // length 51, CRC-32C of bytes [8, 51)
        + "2A00000000000000"            // sequence 42
        + "7BA8DA769B010000"            // timestamp 1767225600123
        + "DC050000"                    // delay 1500
        + "0500"                        // flags Compressed | Moved
        + "02" + "01"                   // group id length 2, deduplication id length 1
        + "03000000" + "05000000"       // attributes length 3, body length 5
        + "6731" + "64" + "A1A2A3"      // "g1", "d", attributes
        + "68656C6C6F" + "0000000000";  // "hello", then 5 bytes of padding

    /// <summary>The same fields at sequence 0, stamped by the log's clock at 1767225600000 (timestamp 0 appended).</summary>
    public const string Record0 =
        "33000000" + "83B5A4CB"
        + "0000000000000000"
        + "00A8DA769B010000"
        + "DC050000" + "0500" + "02" + "01" + "03000000" + "05000000"
        + "6731" + "64" + "A1A2A3" + "68656C6C6F" + "0000000000";

    /// <summary>Segment header: base sequence 0, capacity 8192, created 1767225600000.</summary>
    public const string Header0 =
        "4C515345474D4E54"              // magic "LQSEGMNT"
        + "01000000" + "40000000"       // format version 1, header size 64
        + "0000000000000000"            // base sequence 0
        + "0020000000000000"            // capacity 8192
        + "00A8DA769B010000"            // created 1767225600000
        + "0000000000000000000000000000000000000000" // 20 reserved bytes
        + "09E33206";                   // CRC-32C of bytes [0, 60)

    /// <summary>Segment header: base sequence 42, capacity 8192, created 1767225600000.</summary>
    public const string Header42 =
        "4C515345474D4E54"
        + "01000000" + "40000000"
        + "2A00000000000000"
        + "0020000000000000"
        + "00A8DA769B010000"
        + "0000000000000000000000000000000000000000"
        + "30FADBF8";

    /// <summary>The fields of the golden records, with <paramref name="timestamp"/> (0 lets the log stamp it).</summary>
    public static AppendRecord Fields(long timestamp) =>
        new("hello"u8.ToArray(), new byte[] { 0xA1, 0xA2, 0xA3 }, "g1", "d", timestamp, 1500, RecordFlags.Compressed | RecordFlags.Moved);

    /// <summary>What reading a golden record must return (its timestamp given).</summary>
    public static ExpectedRecord Expected(long timestamp) =>
        new(timestamp, 1500, RecordFlags.Compressed | RecordFlags.Moved, "g1", "d", [0xA1, 0xA2, 0xA3], "hello"u8.ToArray());
}
