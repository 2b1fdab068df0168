using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Deletes a queue and every message in it. Payload: <c>string queue name</c>; the response is empty.</summary>
/// <param name="QueueName">The queue.</param>
public sealed record DeleteQueueRequest(string QueueName) : IRequest<DeleteQueueRequest, EmptyResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.DeleteQueue;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer) => writer.WriteString(QueueName);

    /// <inheritdoc />
    public static DeleteQueueRequest Read(ref PayloadReader reader) => new(reader.ReadString());
}
