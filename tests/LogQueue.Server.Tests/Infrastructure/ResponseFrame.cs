using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;

namespace LogQueue.Server.Tests.Infrastructure;

/// <summary>A frame read from the server: its header and a copy of its payload.</summary>
public sealed record ResponseFrame(FrameHeader Header, byte[] Payload)
{
    public T Decode<T>()
        where T : IPayload<T>
    {
        Assert.False(Header.IsError, Header.IsError ? $"Expected a {typeof(T).Name}, got error {Error}" : null);
        return PayloadDecoder.Decode<T>(Payload);
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
