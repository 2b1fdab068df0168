using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Changes queue attributes: <c>string queue name, map attributes</c>; the response is empty.</summary>
/// <param name="QueueName">The queue.</param>
/// <param name="Attributes">The attributes to change.</param>
public sealed record SetQueueAttributesRequest(string QueueName, IReadOnlyDictionary<string, string> Attributes)
    : IRequest<SetQueueAttributesRequest, EmptyResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.SetQueueAttributes;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(QueueName);
        writer.WriteStringMap(Attributes);
    }

    /// <inheritdoc />
    public static SetQueueAttributesRequest Read(ref PayloadReader reader) => new(reader.ReadString(), reader.ReadStringMap());
}
