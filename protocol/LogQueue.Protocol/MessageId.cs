using System.Buffers.Binary;
using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol;

/// <summary>
/// A message's id: 16 bytes on the wire (the queue incarnation, then the sequence, each an i64), shown as a
/// UUID-shaped string of their big-endian hex, <c>iiiiiiii-iiii-iiii-ssss-ssssssssssss</c>, the same text the
/// engine shows for the message.
/// </summary>
/// <param name="QueueIncarnation">Which incarnation of the queue (a queue deleted and created again gets a new one).</param>
/// <param name="Sequence">The message's sequence number in that queue.</param>
public readonly record struct MessageId(long QueueIncarnation, long Sequence)
{
    /// <summary>Bytes on the wire.</summary>
    public const int Size = 16;

    /// <summary>The UUID-shaped text.</summary>
    public override string ToString()
    {
        Span<byte> bigEndian = stackalloc byte[Size];
        BinaryPrimitives.WriteInt64BigEndian(bigEndian, QueueIncarnation);
        BinaryPrimitives.WriteInt64BigEndian(bigEndian[8..], Sequence);
        string hex = Convert.ToHexStringLower(bigEndian);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>Parses the UUID-shaped text.</summary>
    public static bool TryParse(string? text, out MessageId id)
    {
        id = default;
        if (text is not { Length: 36 } || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        {
            return false;
        }

        Span<byte> bigEndian = stackalloc byte[Size];
        string hex = text.Replace("-", string.Empty, StringComparison.Ordinal);
        if (hex.Length != 32 || Convert.FromHexString(hex, bigEndian, out _, out int written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        id = new MessageId(BinaryPrimitives.ReadInt64BigEndian(bigEndian), BinaryPrimitives.ReadInt64BigEndian(bigEndian[8..]));
        return true;
    }

    /// <summary>Writes the 16 wire bytes.</summary>
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteInt64(QueueIncarnation);
        writer.WriteInt64(Sequence);
    }

    /// <summary>Reads the 16 wire bytes.</summary>
    public static MessageId Read(ref PayloadReader reader) => new(reader.ReadInt64(), reader.ReadInt64());
}
