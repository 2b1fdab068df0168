using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>The created (or existing) queue: <c>string queue name</c>.</summary>
/// <param name="QueueName">The queue's name.</param>
public sealed record CreateQueueResponse(string QueueName) : IPayload<CreateQueueResponse>
{
    /// <inheritdoc />
    public void Write(ref PayloadWriter writer) => writer.WriteString(QueueName);

    /// <inheritdoc />
    public static CreateQueueResponse Read(ref PayloadReader reader) => new(reader.ReadString());
}
