using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using LogQueue.Engine.IO;

namespace LogQueue.Engine.Log;

/// <summary>
/// The byte layout of one record (format version 1, little-endian; docs/storage.md is the spec):
/// <code>
///  0  u32  length      bytes from offset 0 to the end of the body (padding excluded); written last
///  4  u32  crc32c      CRC-32C of bytes [8, length)
///  8  i64  sequence
/// 16  i64  timestamp   Unix milliseconds
/// 24  u32  delay       milliseconds
/// 28  u16  flags       <see cref="RecordFlags"/>
/// 30  u8   group id length
/// 31  u8   deduplication id length
/// 32  u32  attributes length
/// 36  u32  body length
/// 40  ...  group id, deduplication id, attributes, body; then zero padding to a multiple of 8
/// </code>
/// The length is stored last, after every other byte, so a writer killed mid-record leaves a zero
/// length (the end of the log) rather than a length that points at half-written bytes.
/// </summary>
internal static class RecordFormat
{
    public const int HeaderSize = 40;
    public const int Alignment = 8;
    public const int MaxIdBytes = byte.MaxValue;

    private const int CrcOffset = 4;
    private const int SequenceOffset = 8;
    private const int TimestampOffset = 16;
    private const int DelayOffset = 24;
    private const int FlagsOffset = 28;
    private const int GroupIdLengthOffset = 30;
    private const int DeduplicationIdLengthOffset = 31;
    private const int AttributesLengthOffset = 32;
    private const int BodyLengthOffset = 36;

    public static int Align(int length) => (length + (Alignment - 1)) & ~(Alignment - 1);

    /// <summary>The unpadded length of a record, or throws when it breaks a limit.</summary>
    public static int Measure(in AppendRecord record, int maxRecordSize)
    {
        int groupBytes = IdByteCount(record.GroupId, "group id");
        int dedupBytes = IdByteCount(record.DeduplicationId, "deduplication id");
        long payload = (long)groupBytes + dedupBytes + record.Attributes.Length + record.Body.Length;
        if (payload > maxRecordSize)
        {
            throw new LogQueueException(
                ErrorCode.MessageTooLong,
                $"Record of {payload} bytes (body {record.Body.Length}, attributes {record.Attributes.Length}, ids {groupBytes + dedupBytes}) is larger than the maximum of {maxRecordSize} bytes.");
        }

        return HeaderSize + (int)payload;
    }

    /// <summary>
    /// Writes a whole record of <paramref name="length"/> bytes (from <see cref="Measure"/>) into
    /// <paramref name="destination"/>, the length field last.
    /// </summary>
    public static void Write(Span<byte> destination, int length, long sequence, long timestamp, in AppendRecord record)
    {
        Span<byte> header = destination[..HeaderSize];
        Span<byte> payload = destination[HeaderSize..length];

        int groupBytes = record.GroupId is null ? 0 : Encoding.UTF8.GetBytes(record.GroupId, payload);
        int dedupBytes = record.DeduplicationId is null ? 0 : Encoding.UTF8.GetBytes(record.DeduplicationId, payload[groupBytes..]);
        int at = groupBytes + dedupBytes;
        record.Attributes.Span.CopyTo(payload[at..]);
        at += record.Attributes.Length;
        record.Body.Span.CopyTo(payload[at..]);

        BinaryPrimitives.WriteInt64LittleEndian(header[SequenceOffset..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(header[TimestampOffset..], timestamp);
        BinaryPrimitives.WriteUInt32LittleEndian(header[DelayOffset..], record.DelayMilliseconds);
        BinaryPrimitives.WriteUInt16LittleEndian(header[FlagsOffset..], (ushort)record.Flags);
        header[GroupIdLengthOffset] = (byte)groupBytes;
        header[DeduplicationIdLengthOffset] = (byte)dedupBytes;
        BinaryPrimitives.WriteInt32LittleEndian(header[AttributesLengthOffset..], record.Attributes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[BodyLengthOffset..], record.Body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[CrcOffset..], Crc32C.Compute(destination[SequenceOffset..length]));

        // Padding may hold bytes of a recycled file; recovery never reads it, but zero it so a dump reads clean.
        destination[length..Align(length)].Clear();
        Volatile.Write(ref Unsafe.As<byte, int>(ref destination[0]), BitConverter.IsLittleEndian ? length : BinaryPrimitives.ReverseEndianness(length));
    }

    /// <summary>The stored length at the start of a record (0 marks the end of the written part).</summary>
    public static int ReadLength(ReadOnlySpan<byte> record)
    {
        int raw = Volatile.Read(ref Unsafe.As<byte, int>(ref Unsafe.AsRef(in record[0])));
        return BitConverter.IsLittleEndian ? raw : BinaryPrimitives.ReverseEndianness(raw);
    }

    /// <summary>A view of a record already known to be well formed (it was written or verified by this process).</summary>
    public static RecordView View(ReadOnlySpan<byte> record)
    {
        int groupBytes = record[GroupIdLengthOffset];
        int dedupBytes = record[DeduplicationIdLengthOffset];
        int attributesLength = BinaryPrimitives.ReadInt32LittleEndian(record[AttributesLengthOffset..]);
        int bodyLength = BinaryPrimitives.ReadInt32LittleEndian(record[BodyLengthOffset..]);
        ReadOnlySpan<byte> payload = record[HeaderSize..];
        return new RecordView(
            BinaryPrimitives.ReadInt64LittleEndian(record[SequenceOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(record[TimestampOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(record[DelayOffset..]),
            (RecordFlags)BinaryPrimitives.ReadUInt16LittleEndian(record[FlagsOffset..]),
            payload[..groupBytes],
            payload.Slice(groupBytes, dedupBytes),
            payload.Slice(groupBytes + dedupBytes, attributesLength),
            payload.Slice(groupBytes + dedupBytes + attributesLength, bodyLength));
    }

    /// <summary>
    /// Checks the record at the start of <paramref name="available"/> (which runs to the end of the segment).
    /// Returns null and the record's length when it is whole and belongs at <paramref name="expectedSequence"/>,
    /// else the reason it is not. A zero length is reported as length 0 with no reason: the clean end.
    /// </summary>
    public static string? Verify(ReadOnlySpan<byte> available, long expectedSequence, bool checkCrc, out int length)
    {
        length = 0;
        if (available.Length < HeaderSize)
        {
            return available.IndexOfAnyExcept((byte)0) < 0 ? null : "bytes after the last record too short to be a record";
        }

        length = ReadLength(available);
        if (length == 0)
        {
            return null;
        }

        if (length < HeaderSize || length > available.Length || Align(length) > available.Length)
        {
            return $"length {length} outside [{HeaderSize}, {available.Length}]";
        }

        ReadOnlySpan<byte> record = available[..length];
        long sequence = BinaryPrimitives.ReadInt64LittleEndian(record[SequenceOffset..]);
        if (sequence != expectedSequence)
        {
            return $"sequence {sequence} where {expectedSequence} was expected";
        }

        long fields = (long)HeaderSize + record[GroupIdLengthOffset] + record[DeduplicationIdLengthOffset]
            + BinaryPrimitives.ReadUInt32LittleEndian(record[AttributesLengthOffset..])
            + BinaryPrimitives.ReadUInt32LittleEndian(record[BodyLengthOffset..]);
        if (fields != length)
        {
            return $"field lengths add up to {fields}, not the record length {length}";
        }

        if (checkCrc)
        {
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(record[CrcOffset..]);
            uint actual = Crc32C.Compute(record[SequenceOffset..]);
            if (stored != actual)
            {
                return $"CRC-32C 0x{actual:x8} does not match the stored 0x{stored:x8}";
            }
        }

        return null;
    }

    private static int IdByteCount(string? id, string what)
    {
        if (id is null)
        {
            return 0;
        }

        int bytes = Encoding.UTF8.GetByteCount(id);
        if (bytes is 0 or > MaxIdBytes)
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, $"The {what} must be 1 to {MaxIdBytes} UTF-8 bytes; it is {bytes}.");
        }

        return bytes;
    }
}
