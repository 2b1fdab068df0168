using System.Buffers;
using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;

namespace LogQueue.Protocol.Tests;

/// <summary>
/// One frame of one type with representative values, in one protocol version: encodes itself, and decodes-then-re-encodes
/// a payload in that version.
/// </summary>
public sealed class FrameSample
{
    private readonly Action<IBufferWriter<byte>> _write;
    private readonly Func<ReadOnlySequence<byte>, byte[]> _reencodePayload;

    private FrameSample(string name, Action<IBufferWriter<byte>> write, Func<ReadOnlySequence<byte>, byte[]> reencodePayload)
    {
        Name = name;
        _write = write;
        _reencodePayload = reencodePayload;
    }

    public string Name { get; }

    public static FrameSample Of<T>(string name, Opcode opcode, FrameFlags flags, uint requestId, T payload, ushort version = ProtocolVersion.Current)
        where T : IPayload<T> =>
        new(
            name,
            output => FrameWriter.Write(output, opcode, flags, requestId, payload, version),
            bytes =>
            {
                T decoded = PayloadDecoder.Decode<T>(bytes, version);
                var buffer = new ArrayBufferWriter<byte>();
                var writer = new PayloadWriter(buffer, version);
                decoded.Write(ref writer);
                writer.Flush();
                return buffer.WrittenSpan.ToArray();
            });

    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>();
        _write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public byte[] DecodeAndReencode(ReadOnlySequence<byte> payload) => _reencodePayload(payload);

    public override string ToString() => Name;
}
