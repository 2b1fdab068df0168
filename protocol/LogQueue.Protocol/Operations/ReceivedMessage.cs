using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>
/// One received message: <c>MessageId, i64 sequence number, string receipt handle, i64 sent timestamp,
/// i32 receive count, i64 first receive timestamp, string? dead-letter source queue, string? message group id,
/// attributes, bytes body</c>. Timestamps are Unix milliseconds.
/// </summary>
/// <param name="MessageId">The message id (kept through dead-letter moves).</param>
/// <param name="SequenceNumber">The message's sequence in the queue it was received from.</param>
/// <param name="ReceiptHandle">Deletes the message or changes its visibility, until the next receive of it.</param>
/// <param name="SentTimestamp">When the message was first sent.</param>
/// <param name="ReceiveCount">How many times it has been received, this time included.</param>
/// <param name="FirstReceiveTimestamp">When it was first received.</param>
/// <param name="DeadLetterSourceQueue">For a dead letter: the queue it came from.</param>
/// <param name="MessageGroupId">FIFO queues: the message group.</param>
/// <param name="Attributes">The message attributes.</param>
/// <param name="Body">The body.</param>
public readonly record struct ReceivedMessage(
    MessageId MessageId,
    long SequenceNumber,
    string ReceiptHandle,
    long SentTimestamp,
    int ReceiveCount,
    long FirstReceiveTimestamp,
    string? DeadLetterSourceQueue,
    string? MessageGroupId,
    IReadOnlyDictionary<string, MessageAttribute> Attributes,
    ReadOnlyMemory<byte> Body)
{
    /// <summary>Writes the message.</summary>
    public void Write(ref PayloadWriter writer)
    {
        MessageId.Write(ref writer);
        writer.WriteInt64(SequenceNumber);
        writer.WriteString(ReceiptHandle);
        writer.WriteInt64(SentTimestamp);
        writer.WriteInt32(ReceiveCount);
        writer.WriteInt64(FirstReceiveTimestamp);
        writer.WriteNullableString(DeadLetterSourceQueue);
        writer.WriteNullableString(MessageGroupId);
        MessageAttributeCodec.Write(ref writer, Attributes);
        writer.WriteBytes(Body.Span);
    }

    /// <summary>Reads a message; its body is a slice of the payload when that is contiguous.</summary>
    public static ReceivedMessage Read(ref PayloadReader reader) => new(
        MessageId.Read(ref reader),
        reader.ReadInt64(),
        reader.ReadString(),
        reader.ReadInt64(),
        reader.ReadInt32(),
        reader.ReadInt64(),
        reader.ReadNullableString(),
        reader.ReadNullableString(),
        MessageAttributeCodec.Read(ref reader),
        reader.ReadBytesAsMemory());
}
