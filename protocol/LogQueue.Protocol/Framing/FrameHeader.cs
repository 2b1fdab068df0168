using System.Buffers.Binary;

namespace LogQueue.Protocol.Framing;

/// <summary>
/// The fixed 12-byte header in front of every frame, all fields little-endian:
/// <code>
/// offset 0  u32  payload length (bytes after the header)
/// offset 4  u16  opcode
/// offset 6  u16  flags (FrameFlags)
/// offset 8  u32  request id (chosen by the client, echoed by the response; 0 is reserved for the server)
/// </code>
/// </summary>
/// <param name="PayloadLength">Bytes of payload after the header.</param>
/// <param name="Opcode">The operation.</param>
/// <param name="Flags">Request, response or error.</param>
/// <param name="RequestId">Pairs a response with its request.</param>
public readonly record struct FrameHeader(int PayloadLength, Opcode Opcode, FrameFlags Flags, uint RequestId)
{
    /// <summary>Bytes in a header.</summary>
    public const int Size = 12;

    /// <summary>Flag bits a valid frame may set.</summary>
    public const FrameFlags KnownFlags = FrameFlags.Response | FrameFlags.Error;

    /// <summary>True for a response frame.</summary>
    public bool IsResponse => (Flags & FrameFlags.Response) != 0;

    /// <summary>True for an error response.</summary>
    public bool IsError => (Flags & FrameFlags.Error) != 0;

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"A frame header needs {Size} bytes.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, checked((uint)PayloadLength));
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], (ushort)Opcode);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], RequestId);
    }

    /// <summary>
    /// Reads a header from exactly <see cref="Size"/> bytes. The payload length is returned as sent (up to
    /// <see cref="uint.MaxValue"/>) in <paramref name="payloadLength"/> so a caller can refuse an oversized frame
    /// before believing it.
    /// </summary>
    public static FrameHeader Read(ReadOnlySpan<byte> source, out uint payloadLength)
    {
        payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(source);
        return new FrameHeader(
            (int)Math.Min(payloadLength, int.MaxValue),
            (Opcode)BinaryPrimitives.ReadUInt16LittleEndian(source[4..]),
            (FrameFlags)BinaryPrimitives.ReadUInt16LittleEndian(source[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[8..]));
    }
}
