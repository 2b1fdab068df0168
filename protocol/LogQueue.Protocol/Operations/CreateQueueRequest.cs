using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>
/// Creates a queue, or returns the existing one when its attributes match: <c>string name, map attributes</c>
/// (SQS attribute names such as VisibilityTimeout, DelaySeconds, RedrivePolicy).
/// </summary>
/// <param name="QueueName">1 to 80 characters of A-Z a-z 0-9 - _.</param>
/// <param name="Attributes">Queue attributes to set; null or empty for the defaults.</param>
public sealed record CreateQueueRequest(string QueueName, IReadOnlyDictionary<string, string>? Attributes = null)
    : IRequest<CreateQueueRequest, CreateQueueResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.CreateQueue;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(QueueName);
        writer.WriteStringMap(Attributes);
    }

    /// <inheritdoc />
    public static CreateQueueRequest Read(ref PayloadReader reader) => new(reader.ReadString(), reader.ReadStringMap());
}
