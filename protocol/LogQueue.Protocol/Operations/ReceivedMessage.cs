using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>
/// One received message: <c>MessageId, i64 sequence number, string receipt handle, i64 sent timestamp,
/// i32 receive count, i64 first receive timestamp, string? dead-letter source queue, string? message group id,
/// string? message deduplication id (protocol version 2 on; absent in version 1), attributes, bytes body</c>.
/// Timestamps are Unix milliseconds.
/// </summary>
/// <param name="MessageId">The message id (kept through dead-letter moves).</param>
/// <param name="SequenceNumber">The message's sequence in the queue it was received from.</param>
/// <param name="ReceiptHandle">Deletes the message or changes its visibility, until the next receive of it.</param>
/// <param name="SentTimestamp">When the message was first sent.</param>
/// <param name="ReceiveCount">How many times it has been received, this time included.</param>
/// <param name="FirstReceiveTimestamp">When it was first received.</param>
/// <param name="DeadLetterSourceQueue">For a dead letter: the queue it came from.</param>
/// <param name="MessageGroupId">The message group: always set on a FIFO queue; on a standard queue, the group it was sent with, if any.</param>
/// <param name="Attributes">The message attributes.</param>
/// <param name="Body">The body.</param>
/// <param name="MessageDeduplicationId">
/// FIFO queues: the deduplication id it was sent with, or the SHA-256 of its body (64 hex digits) under
/// ContentBasedDeduplication; null on standard queues, and always null over protocol version 1, which cannot carry it.
/// </param>
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
    ReadOnlyMemory<byte> Body,
    string? MessageDeduplicationId = null)
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
        if (writer.Version >= ProtocolVersion.ReceivedDeduplicationId)
        {
            writer.WriteNullableString(MessageDeduplicationId);
        }

        MessageAttributeCodec.Write(ref writer, Attributes);
        writer.WriteBytes(Body.Span);
    }

    /// <summary>Reads a message; its body is a slice of the payload when that is contiguous.</summary>
    public static ReceivedMessage Read(ref PayloadReader reader)
    {
        MessageId messageId = MessageId.Read(ref reader);
        long sequenceNumber = reader.ReadInt64();
        string receiptHandle = reader.ReadString();
        long sentTimestamp = reader.ReadInt64();
        int receiveCount = reader.ReadInt32();
        long firstReceiveTimestamp = reader.ReadInt64();
        string? deadLetterSourceQueue = reader.ReadNullableString();
        string? messageGroupId = reader.ReadNullableString();
        string? messageDeduplicationId = reader.Version >= ProtocolVersion.ReceivedDeduplicationId ? reader.ReadNullableString() : null;
        IReadOnlyDictionary<string, MessageAttribute> attributes = MessageAttributeCodec.Read(ref reader);
        return new ReceivedMessage(
            messageId,
            sequenceNumber,
            receiptHandle,
            sentTimestamp,
            receiveCount,
            firstReceiveTimestamp,
            deadLetterSourceQueue,
            messageGroupId,
            attributes,
            reader.ReadBytesAsMemory(),
            messageDeduplicationId);
    }
}
