using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Lists queue names: <c>string? prefix</c> (null or empty: all).</summary>
/// <param name="Prefix">Only names starting with this.</param>
public sealed record ListQueuesRequest(string? Prefix = null) : IRequest<ListQueuesRequest, ListQueuesResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.ListQueues;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer) => writer.WriteNullableString(Prefix);

    /// <inheritdoc />
    public static ListQueuesRequest Read(ref PayloadReader reader) => new(reader.ReadNullableString());
}
