using System.Buffers.Binary;
using LogQueue.Engine.IO;

namespace LogQueue.Engine.Log;

/// <summary>
/// The first 64 bytes of every segment file (little-endian):
/// <code>
///  0  8 bytes  magic "LQSEGMNT"
///  8  u32      format version (1)
/// 12  u32      header size (64)
/// 16  i64      base sequence (also the file name)
/// 24  i64      capacity in bytes (the preallocated file size)
/// 32  i64      creation time, Unix milliseconds
/// 40  20 bytes reserved, zero
/// 60  u32      CRC-32C of bytes [0, 60)
/// </code>
/// </summary>
internal static class SegmentHeader
{
    public const int Size = 64;
    public const uint FormatVersion = 1;
    public static ReadOnlySpan<byte> Magic => "LQSEGMNT"u8;

    public static void Write(Span<byte> destination, long baseSequence, long capacity, long createdUnixMs)
    {
        Span<byte> header = destination[..Size];
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Size);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], baseSequence);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], capacity);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], createdUnixMs);
        BinaryPrimitives.WriteUInt32LittleEndian(header[60..], Crc32C.Compute(header[..60]));
    }

    /// <summary>Null when the header is valid for <paramref name="baseSequence"/>, else what is wrong.</summary>
    public static string? Validate(ReadOnlySpan<byte> header, long baseSequence, long fileLength)
    {
        header = header[..Size];
        if (!header.StartsWith(Magic))
        {
            return "the segment header does not start with the magic bytes";
        }

        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(header[60..]);
        if (crc != Crc32C.Compute(header[..60]))
        {
            return "the segment header CRC does not match";
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != FormatVersion)
        {
            return $"segment format version {version} is not supported (this build reads version {FormatVersion})";
        }

        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (headerSize != Size)
        {
            return $"header size {headerSize} is not {Size}";
        }

        long storedBase = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        if (storedBase != baseSequence)
        {
            return $"the header's base sequence {storedBase} does not match the file name's {baseSequence}";
        }

        long capacity = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        return capacity == fileLength ? null : $"the header's capacity {capacity} does not match the file's length {fileLength}";
    }
}
