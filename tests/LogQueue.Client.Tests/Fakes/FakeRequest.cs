using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;

namespace LogQueue.Client.Tests.Fakes;

/// <summary>A request frame the fake server read, with the means to answer it (in any order, any time).</summary>
public sealed class FakeRequest
{
    public FakeRequest(FakeConnection connection, FrameHeader header, byte[] payload)
    {
        Connection = connection;
        Header = header;
        Payload = payload;
    }

    public FakeConnection Connection { get; }

    public FrameHeader Header { get; }

    public Opcode Opcode => Header.Opcode;

    public byte[] Payload { get; }

    public T Decode<T>()
        where T : IPayload<T> => PayloadDecoder.Decode<T>(Payload.AsMemory());

    /// <summary>Answers with <paramref name="response"/> encoded in protocol <paramref name="version"/> (the one the fake's Hello chose).</summary>
    public Task RespondAsync<T>(T response, bool byteByByte = false, ushort version = ProtocolVersion.Current)
        where T : IPayload<T>
    {
        using var frame = new FrameBuffer();
        FrameWriter.WriteResponse(frame, Opcode, Header.RequestId, response, version);
        return Connection.WriteAsync(frame.WrittenMemory.ToArray(), byteByByte);
    }

    public Task RespondErrorAsync(ErrorCode code, string message)
    {
        using var frame = new FrameBuffer();
        FrameWriter.WriteError(frame, Opcode, Header.RequestId, code, message);
        return Connection.WriteAsync(frame.WrittenMemory.ToArray(), byteByByte: false);
    }
}
