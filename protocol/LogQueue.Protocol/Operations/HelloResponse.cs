using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>
/// The server's answer to a Hello: <c>u16 version, string server version, i32 max frame length, i32 max batch
/// size, i32 max message size, i32 idle timeout ms</c>.
/// </summary>
/// <param name="Version">The protocol version the connection speaks from now on.</param>
/// <param name="ServerVersion">The server's software version.</param>
/// <param name="MaxFrameLength">The largest payload, in bytes, either side may send.</param>
/// <param name="MaxBatchSize">The most entries in one batch request and messages in one receive.</param>
/// <param name="MaxMessageSize">The largest message (body and attributes), in bytes.</param>
/// <param name="IdleTimeoutMs">After this many milliseconds without a frame the server closes the connection; 0: never.</param>
public sealed record HelloResponse(ushort Version, string ServerVersion, int MaxFrameLength, int MaxBatchSize, int MaxMessageSize, int IdleTimeoutMs)
    : IPayload<HelloResponse>
{
    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteUInt16(Version);
        writer.WriteString(ServerVersion);
        writer.WriteInt32(MaxFrameLength);
        writer.WriteInt32(MaxBatchSize);
        writer.WriteInt32(MaxMessageSize);
        writer.WriteInt32(IdleTimeoutMs);
    }

    /// <inheritdoc />
    public static HelloResponse Read(ref PayloadReader reader) =>
        new(reader.ReadUInt16(), reader.ReadString(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
}
