using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;

namespace LogQueue.Server.Tests.Infrastructure;

/// <summary>A frame read from the server: its header, a copy of its payload, and the protocol version it is encoded in.</summary>
public sealed record ResponseFrame(FrameHeader Header, byte[] Payload, ushort Version = ProtocolVersion.Current)
{
    public T Decode<T>()
        where T : IPayload<T>
    {
        Assert.False(Header.IsError, Header.IsError ? $"Expected a {typeof(T).Name}, got error {Error}" : null);
        return PayloadDecoder.Decode<T>(Payload, Version);
    }

    public ErrorResponse Error
    {
        get
        {
            Assert.True(Header.IsError, $"Expected an error frame, got {Header}.");
            return PayloadDecoder.Decode<ErrorResponse>(Payload);
        }
    }
}
