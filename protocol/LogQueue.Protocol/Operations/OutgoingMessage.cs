using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>
/// One message to send: <c>bytes body, attributes, i32 delay ms (-1: the queue's), string? message group id,
/// string? deduplication id</c>.
/// </summary>
/// <param name="Body">The body, at least one byte.</param>
/// <param name="Attributes">Message attributes, or null.</param>
/// <param name="Delay">Per-message delay (0 to 15 minutes); null takes the queue's DelaySeconds.</param>
/// <param name="MessageGroupId">The message group (FIFO queues); null for standard queues.</param>
/// <param name="MessageDeduplicationId">The deduplication id (FIFO queues); null for standard queues.</param>
public readonly record struct OutgoingMessage(
    ReadOnlyMemory<byte> Body,
    IReadOnlyDictionary<string, MessageAttribute>? Attributes = null,
    TimeSpan? Delay = null,
    string? MessageGroupId = null,
    string? MessageDeduplicationId = null)
{
    /// <summary>Writes the message.</summary>
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteBytes(Body.Span);
        MessageAttributeCodec.Write(ref writer, Attributes);
        writer.WriteDuration(Delay);
        writer.WriteNullableString(MessageGroupId);
        writer.WriteNullableString(MessageDeduplicationId);
    }

    /// <summary>Reads a message; its body is a slice of the payload when that is contiguous.</summary>
    public static OutgoingMessage Read(ref PayloadReader reader)
    {
        ReadOnlyMemory<byte> body = reader.ReadBytesAsMemory();
        IReadOnlyDictionary<string, MessageAttribute> attributes = MessageAttributeCodec.Read(ref reader);
        TimeSpan? delay = reader.ReadDuration();
        return new OutgoingMessage(body, attributes.Count == 0 ? null : attributes, delay, reader.ReadNullableString(), reader.ReadNullableString());
    }
}
