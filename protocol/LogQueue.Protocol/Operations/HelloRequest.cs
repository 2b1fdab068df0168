using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>
/// The first frame of every connection: <c>magic "LQUE", u16 min version, u16 max version, string client name,
/// string? auth token</c>. The server picks the highest version both support.
/// </summary>
/// <param name="MinVersion">The oldest protocol version the client speaks.</param>
/// <param name="MaxVersion">The newest protocol version the client speaks.</param>
/// <param name="ClientName">Names the client in the server's logs (1 to 256 UTF-8 bytes).</param>
/// <param name="AuthToken">The server's shared token when it requires one; otherwise null.</param>
public sealed record HelloRequest(ushort MinVersion, ushort MaxVersion, string ClientName, string? AuthToken)
    : IRequest<HelloRequest, HelloResponse>
{
    /// <summary>The four bytes that open a Hello payload: ASCII "LQUE". They tell a LogQueue client from a stray HTTP request.</summary>
    public static ReadOnlySpan<byte> Magic => "LQUE"u8;

    /// <inheritdoc />
    public static Opcode Opcode => Opcode.Hello;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteRaw(Magic);
        writer.WriteUInt16(MinVersion);
        writer.WriteUInt16(MaxVersion);
        writer.WriteString(ClientName);
        writer.WriteNullableString(AuthToken);
    }

    /// <inheritdoc />
    public static HelloRequest Read(ref PayloadReader reader)
    {
        Span<byte> magic = stackalloc byte[4];
        for (int i = 0; i < magic.Length; i++)
        {
            magic[i] = reader.ReadByte();
        }

        if (!magic.SequenceEqual(Magic))
        {
            throw new ProtocolFormatException("The Hello does not start with the magic bytes \"LQUE\".");
        }

        return new HelloRequest(reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadString(), reader.ReadNullableString());
    }
}
