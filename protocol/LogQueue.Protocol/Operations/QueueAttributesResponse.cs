using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Queue attributes by name: <c>map</c>.</summary>
/// <param name="Attributes">The attributes.</param>
public sealed record QueueAttributesResponse(IReadOnlyDictionary<string, string> Attributes) : IPayload<QueueAttributesResponse>
{
    /// <inheritdoc />
    public void Write(ref PayloadWriter writer) => writer.WriteStringMap(Attributes);

    /// <inheritdoc />
    public static QueueAttributesResponse Read(ref PayloadReader reader) => new(reader.ReadStringMap());
}
