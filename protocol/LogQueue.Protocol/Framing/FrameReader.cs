using System.Buffers;

namespace LogQueue.Protocol.Framing;

/// <summary>
/// Cuts frames off the front of a byte sequence as it arrives from a socket. A frame may span any number of
/// buffer segments; nothing is copied: the payload is a slice of the input.
/// </summary>
public static class FrameReader
{
    /// <summary>
    /// Tries to take one frame off the front of <paramref name="buffer"/>.
    /// </summary>
    /// <param name="buffer">The unread bytes; on <see cref="FrameReadStatus.Complete"/> advanced past the frame.</param>
    /// <param name="maxPayloadLength">The largest payload accepted; a bigger announced length is <see cref="FrameReadStatus.TooLarge"/> at once, before its bytes arrive.</param>
    /// <param name="header">The header, whenever a whole header was present.</param>
    /// <param name="payload">The payload, on <see cref="FrameReadStatus.Complete"/>.</param>
    public static FrameReadStatus TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxPayloadLength, out FrameHeader header, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        header = default;
        if (buffer.Length < FrameHeader.Size)
        {
            return FrameReadStatus.Incomplete;
        }

        Span<byte> headerBytes = stackalloc byte[FrameHeader.Size];
        buffer.Slice(0, FrameHeader.Size).CopyTo(headerBytes);
        header = FrameHeader.Read(headerBytes, out uint payloadLength);
        if ((header.Flags & ~FrameHeader.KnownFlags) != 0)
        {
            return FrameReadStatus.Malformed;
        }

        if (payloadLength > (uint)maxPayloadLength)
        {
            return FrameReadStatus.TooLarge;
        }

        long frameLength = FrameHeader.Size + (long)payloadLength;
        if (buffer.Length < frameLength)
        {
            return FrameReadStatus.Incomplete;
        }

        payload = buffer.Slice(FrameHeader.Size, payloadLength);
        buffer = buffer.Slice(frameLength);
        return FrameReadStatus.Complete;
    }
}
