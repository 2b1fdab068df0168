using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Queue names in ordinal order: <c>u16 count, string...</c>.</summary>
/// <param name="QueueNames">The names.</param>
public sealed record ListQueuesResponse(IReadOnlyList<string> QueueNames) : IPayload<ListQueuesResponse>
{
    /// <inheritdoc />
    public void Write(ref PayloadWriter writer) => writer.WriteStringList(QueueNames);

    /// <inheritdoc />
    public static ListQueuesResponse Read(ref PayloadReader reader) => new(reader.ReadStringList());
}
