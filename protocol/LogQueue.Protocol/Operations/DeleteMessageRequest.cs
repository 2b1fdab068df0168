using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Deletes one message: <c>string queue name, string receipt handle</c>; the response is empty.</summary>
/// <param name="QueueName">The queue.</param>
/// <param name="ReceiptHandle">The handle from the message's latest receive.</param>
public sealed record DeleteMessageRequest(string QueueName, string ReceiptHandle) : IRequest<DeleteMessageRequest, EmptyResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.DeleteMessage;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(QueueName);
        writer.WriteString(ReceiptHandle);
    }

    /// <inheritdoc />
    public static DeleteMessageRequest Read(ref PayloadReader reader) => new(reader.ReadString(), reader.ReadString());
}
