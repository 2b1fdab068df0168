using System.Buffers;
using BenchmarkDotNet.Attributes;
using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;

namespace LogQueue.Bench.Protocol;

/// <summary>
/// The wire codecs alone, no sockets: encoding and decoding the two frames that carry messages, a send batch
/// and a receive response of ten 128-byte messages. Figures are per message. The baseline encodes ten single
/// SendMessage frames. Allocation per message should be the decoded values only (strings for receipt handles,
/// the result arrays); bodies decoded from one contiguous payload are slices of it, never copies.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private const int BatchSize = 10;

    private readonly FrameBuffer _output = new(64 * 1024);
    private OutgoingMessage _message;
    private SendMessageBatchRequest _sendBatch = null!;
    private ReceiveMessageResponse _received = null!;
    private ReadOnlyMemory<byte> _sendBatchPayload;
    private ReadOnlyMemory<byte> _receivedPayload;

    [GlobalSetup]
    public void Setup()
    {
        byte[] body = new byte[128];
        Array.Fill(body, (byte)'m');
        _message = new OutgoingMessage(body);
        _sendBatch = new SendMessageBatchRequest("orders", [.. Enumerable.Repeat(_message, BatchSize)]);
        _received = new ReceiveMessageResponse([.. Enumerable.Range(0, BatchSize).Select(i => new ReceivedMessage(
            new MessageId(7, i), i, "AQEB" + new string('h', 100) + i, 1_700_000_000_000, 1, 1_700_000_000_000, null, null, MessageAttributeCodec.Empty, body))]);
        _sendBatchPayload = PayloadOf(Opcode.SendMessageBatch, _sendBatch);
        _receivedPayload = PayloadOf(Opcode.ReceiveMessage, _received);
    }

    [GlobalCleanup]
    public void Cleanup() => _output.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public int EncodeTenSendFrames()
    {
        _output.Clear();
        for (int i = 0; i < BatchSize; i++)
        {
            FrameWriter.Write(_output, Opcode.SendMessage, FrameFlags.None, (uint)i, new SendMessageRequest("orders", _message));
        }

        return _output.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int EncodeSendBatchFrame()
    {
        _output.Clear();
        FrameWriter.Write(_output, Opcode.SendMessageBatch, FrameFlags.None, 1, _sendBatch);
        return _output.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int DecodeSendBatchFrame() => PayloadDecoder.Decode<SendMessageBatchRequest>(_sendBatchPayload).Messages.Count;

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int EncodeReceiveResponseFrame()
    {
        _output.Clear();
        FrameWriter.Write(_output, Opcode.ReceiveMessage, FrameFlags.Response, 1, _received);
        return _output.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int DecodeReceiveResponseFrame() => PayloadDecoder.Decode<ReceiveMessageResponse>(_receivedPayload).Messages.Count;

    private static ReadOnlyMemory<byte> PayloadOf<T>(Opcode opcode, T payload)
        where T : IPayload<T>
    {
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.Write(buffer, opcode, FrameFlags.None, 1, payload);
        return buffer.WrittenMemory[FrameHeader.Size..];
    }
}
