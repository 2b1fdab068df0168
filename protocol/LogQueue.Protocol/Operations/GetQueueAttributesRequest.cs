using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Reads queue attributes: <c>string queue name, u16 count, string attribute name...</c> (none or "All": every attribute).</summary>
/// <param name="QueueName">The queue.</param>
/// <param name="AttributeNames">The attributes wanted; empty for all.</param>
public sealed record GetQueueAttributesRequest(string QueueName, IReadOnlyList<string> AttributeNames)
    : IRequest<GetQueueAttributesRequest, QueueAttributesResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.GetQueueAttributes;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(QueueName);
        writer.WriteStringList(AttributeNames);
    }

    /// <inheritdoc />
    public static GetQueueAttributesRequest Read(ref PayloadReader reader) => new(reader.ReadString(), reader.ReadStringList());
}
