using System.Buffers.Binary;
using System.Diagnostics;
using LogQueue.Engine.IO;

namespace LogQueue.Bench.Load.Messages;

/// <summary>
/// The body of every message the load generator sends, so that a consumer can tell whose message it holds,
/// whether it arrived intact and how long it took:
/// <code>
/// offset size field
///      0    4 magic "LQLD"
///      4    4 run id (u32 LE): random per run, so messages left over from another run are told apart
///      8    4 producer id (u32 LE)
///     12    4 CRC-32C of every other byte of the body (0..12 and 16..end)
///     16    8 counter (u64 LE): dense from 0 per producer
///     24    8 send timestamp (Stopwatch ticks; the intended send time in an open-loop run)
///     32    . filler up to the message size
/// </code>
/// Producer and consumer run in the same process, so one monotonic clock stamps and reads the timestamps.
/// </summary>
public static class LoadMessageBody
{
    /// <summary>The header's size and so the smallest body the generator sends.</summary>
    public const int HeaderSize = 32;

    private const uint Magic = 0x444C514C; // "LQLD" little-endian
    private const int ChecksumOffset = 12;

    /// <summary>Fills <paramref name="body"/> (at least <see cref="HeaderSize"/> bytes, filler already in place) with a header and checksum.</summary>
    public static void Write(Span<byte> body, int runId, int producerId, long counter, long timestamp)
    {
        if (body.Length < HeaderSize)
        {
            throw new ArgumentException($"A load message body needs at least {HeaderSize} bytes.", nameof(body));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(body, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(body[4..], runId);
        BinaryPrimitives.WriteInt32LittleEndian(body[8..], producerId);
        BinaryPrimitives.WriteInt64LittleEndian(body[16..], counter);
        BinaryPrimitives.WriteInt64LittleEndian(body[24..], timestamp);
        BinaryPrimitives.WriteUInt32LittleEndian(body[ChecksumOffset..], ChecksumOf(body));
    }

    /// <summary>Reads and checks a body: false when it is not a load message or its checksum does not match.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out LoadMessageHeader header)
    {
        header = default;
        if (body.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(body) != Magic)
        {
            return false;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(body[ChecksumOffset..]) != ChecksumOf(body))
        {
            return false;
        }

        header = new LoadMessageHeader(
            BinaryPrimitives.ReadInt32LittleEndian(body[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(body[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(body[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(body[24..]));
        return true;
    }

    /// <summary>Fills <paramref name="filler"/> with bytes that differ per producer, so a mixed-up body fails its checksum.</summary>
    public static void FillPattern(Span<byte> filler, int producerId)
    {
        uint state = (uint)producerId * 2654435761u + 1;
        for (int i = 0; i < filler.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            filler[i] = (byte)state;
        }
    }

    /// <summary>Nanoseconds from a body's timestamp to <paramref name="now"/> (both Stopwatch ticks).</summary>
    public static long NanosecondsSince(long timestamp, long now) =>
        (long)((now - timestamp) * (1_000_000_000.0 / Stopwatch.Frequency));

    private static uint ChecksumOf(ReadOnlySpan<byte> body) =>
        Crc32C.Append(Crc32C.Append(~0u, body[..ChecksumOffset]), body[(ChecksumOffset + 4)..]) ^ ~0u;
}
