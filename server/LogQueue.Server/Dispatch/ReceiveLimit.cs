using LogQueue.Protocol.Framing;

namespace LogQueue.Server.Dispatch;

/// <summary>
/// How much one receive may return so that its response always fits in a frame: a client refuses a frame over the
/// maximum length it was told in the handshake, so the server must never build one.
/// </summary>
/// <remarks>
/// <para>
/// A receive asks the engine for up to the requested count (1 to MaxBatchSize) with a byte budget of
/// <see cref="ResponseBudget"/>: the frame less its header and the response's message count. Each message costs its
/// stored size (body and encoded attributes) plus <see cref="PerMessageOverhead"/>, and the engine stops before the
/// first one that would not fit, leaving it first in line for the next receive. It always takes one, which fits by
/// construction: the options require MaxFrameLength to be at least MaxMessageSize + 64 KiB.
/// </para>
/// <para>
/// Worked example with the defaults (16 MiB frames): the budget is 16,777,216 - 12 - 2 = 16,777,202 bytes. 100
/// messages of 128 bytes cost 100 × (128 + 1,024) = 115,200, so a receive asking for 100 gets 100. 100 messages
/// fit as long as each stores at most 16,777,202 / 100 - 1,024 = 166,748 bytes (about 160 KiB); 15 messages of 1 MiB
/// (15 × 1,049,600 = 15,744,000) fit, a 16th would not.
/// </para>
/// <para>
/// The old cap, frame room divided by (MaxMessageSize + 1 KiB), assumed no stored message was larger than the
/// server's current MaxMessageSize; one lowered below messages already stored could build an over-large answer of
/// several of them. Counting actual sizes, that cannot happen. (A single stored message larger than the current
/// frame is another matter: it is still returned alone, as before.)
/// </para>
/// </remarks>
internal static class ReceiveLimit
{
    /// <summary>
    /// What a received message costs on the wire beyond its stored size (body and encoded attributes block): id,
    /// sequence, timestamps, receive count and the length prefixes of the receipt handle, source queue, group id,
    /// deduplication id (protocol version 2), attribute count and body (58 bytes); the receipt handle (under 100); the
    /// dead-letter source queue name (at most 80); a message group id and a deduplication id (at most 128 each); and
    /// for each of up to 10 attributes the 6 or 7 bytes by which its wire encoding (name, full data type and value,
    /// each length-prefixed) exceeds its stored entry (at most 70). Under 580 bytes in all: 1 KiB covers it with room
    /// to spare.
    /// </summary>
    public const int PerMessageOverhead = 1024;

    // The response's own u16 message count.
    private const int ResponseOverhead = 2;

    /// <summary>The bytes a receive response's messages may take in a frame of <paramref name="maxFrameLength"/>.</summary>
    public static long ResponseBudget(int maxFrameLength) => (long)maxFrameLength - FrameHeader.Size - ResponseOverhead;
}
