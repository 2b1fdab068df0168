using LogQueue.Protocol.Framing;

namespace LogQueue.Server.Dispatch;

/// <summary>
/// How many messages one receive may return so that its response always fits in a frame: a client refuses a frame
/// over the maximum length it was told in the handshake, so the server must never build one.
/// </summary>
/// <remarks>
/// Worked example with the defaults (16 MiB frames, 1 MiB messages): (16,777,216 - 12 - 2) / (1,048,576 + 1,024)
/// = 15, so a receive asking for up to 100 messages gets at most 15. With 256 KiB messages the same frames hold 63.
/// </remarks>
internal static class ReceiveLimit
{
    /// <summary>
    /// What a received message costs on the wire beyond its message size (body and attributes as SQS counts them):
    /// id, sequence, timestamps and counts (56 bytes with the length prefixes), the receipt handle (under 100),
    /// the dead-letter source queue name (at most 80), a message group id (at most 128) and 8 bytes of length
    /// prefixes for each of up to 10 attributes. 1 KiB covers all of it with room to spare.
    /// </summary>
    public const int PerMessageOverhead = 1024;

    // The response's own u16 message count.
    private const int ResponseOverhead = 2;

    /// <summary>The most messages a receive response may carry under these limits; at least 1.</summary>
    public static int MaxMessagesPerResponse(int maxFrameLength, int maxMessageSize)
    {
        long room = (long)maxFrameLength - FrameHeader.Size - ResponseOverhead;
        long perMessage = (long)maxMessageSize + PerMessageOverhead;
        return (int)Math.Clamp(room / perMessage, 1, ushort.MaxValue);
    }
}
