using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Deletes every message of a queue (at most once per 60 seconds). Payload: <c>string queue name</c>; the response is empty.</summary>
/// <param name="QueueName">The queue.</param>
public sealed record PurgeQueueRequest(string QueueName) : IRequest<PurgeQueueRequest, EmptyResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.PurgeQueue;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer) => writer.WriteString(QueueName);

    /// <inheritdoc />
    public static PurgeQueueRequest Read(ref PayloadReader reader) => new(reader.ReadString());
}
