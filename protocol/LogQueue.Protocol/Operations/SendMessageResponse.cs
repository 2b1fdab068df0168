using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>A stored message: <c>MessageId (16 bytes), i64 sequence number</c>.</summary>
/// <param name="MessageId">The new message's id.</param>
/// <param name="SequenceNumber">Its sequence in the queue's log.</param>
public sealed record SendMessageResponse(MessageId MessageId, long SequenceNumber) : IPayload<SendMessageResponse>
{
    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        MessageId.Write(ref writer);
        writer.WriteInt64(SequenceNumber);
    }

    /// <inheritdoc />
    public static SendMessageResponse Read(ref PayloadReader reader) => new(MessageId.Read(ref reader), reader.ReadInt64());
}
