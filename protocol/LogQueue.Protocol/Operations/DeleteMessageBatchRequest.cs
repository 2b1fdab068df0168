using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Deletes several messages of one queue: <c>string queue name, u16 count, string receipt handle...</c>.</summary>
/// <param name="QueueName">The queue.</param>
/// <param name="ReceiptHandles">1 to the server's max batch size handles.</param>
public sealed record DeleteMessageBatchRequest(string QueueName, IReadOnlyList<string> ReceiptHandles)
    : IRequest<DeleteMessageBatchRequest, BatchResultResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.DeleteMessageBatch;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(QueueName);
        writer.WriteStringList(ReceiptHandles);
    }

    /// <inheritdoc />
    public static DeleteMessageBatchRequest Read(ref PayloadReader reader) => new(reader.ReadString(), reader.ReadStringList());
}
