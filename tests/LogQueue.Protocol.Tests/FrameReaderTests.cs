using System.Buffers;
using System.Buffers.Binary;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;

namespace LogQueue.Protocol.Tests;

public sealed class FrameReaderTests
{
    [Fact]
    public void The_header_is_little_endian_length_opcode_flags_request_id()
    {
        byte[] frame = FrameSamples.Get("Ping").Encode();

        Assert.Equal(Convert.FromHexString("00000000" + "0200" + "0000" + "02000000"), frame);
    }

    [Fact]
    public void An_announced_length_over_the_maximum_is_too_large_before_its_bytes_arrive()
    {
        byte[] header = new byte[FrameHeader.Size];
        new FrameHeader(0, Opcode.SendMessage, FrameFlags.None, 7).Write(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header, uint.MaxValue);

        var buffer = new ReadOnlySequence<byte>(header);
        Assert.Equal(FrameReadStatus.TooLarge, FrameReader.TryReadFrame(ref buffer, 1024, out FrameHeader read, out _));
        Assert.Equal(7u, read.RequestId);
        Assert.Equal(Opcode.SendMessage, read.Opcode);
    }

    [Fact]
    public void A_payload_of_exactly_the_maximum_is_accepted_and_one_more_byte_is_not()
    {
        byte[] frame = new byte[FrameHeader.Size + 16];
        new FrameHeader(16, Opcode.Ping, FrameFlags.None, 1).Write(frame);

        var exact = new ReadOnlySequence<byte>(frame);
        Assert.Equal(FrameReadStatus.Complete, FrameReader.TryReadFrame(ref exact, 16, out _, out _));
        var over = new ReadOnlySequence<byte>(frame);
        Assert.Equal(FrameReadStatus.TooLarge, FrameReader.TryReadFrame(ref over, 15, out _, out _));
    }

    [Theory]
    [InlineData(0x0004)]
    [InlineData(0x8000)]
    [InlineData(0xFFFF)]
    public void Reserved_flag_bits_make_the_frame_malformed(int flags)
    {
        byte[] frame = new byte[FrameHeader.Size];
        new FrameHeader(0, Opcode.Ping, (FrameFlags)flags, 1).Write(frame);

        var buffer = new ReadOnlySequence<byte>(frame);
        Assert.Equal(FrameReadStatus.Malformed, FrameReader.TryReadFrame(ref buffer, 1024, out _, out _));
    }

    [Fact]
    public void A_frame_writer_failure_leaves_no_half_frame_behind()
    {
        using var buffer = new FrameBuffer();
        FrameWriter.Write(buffer, Opcode.Ping, FrameFlags.None, 1, PingRequest.Instance);
        int before = buffer.WrittenCount;

        string tooLong = new('x', 70_000);
        Assert.Throws<ArgumentException>(() => FrameWriter.Write(buffer, Opcode.DeleteQueue, FrameFlags.None, 2, new DeleteQueueRequest(tooLong)));

        Assert.Equal(before, buffer.WrittenCount);
    }

    [Fact]
    public void A_frame_buffer_grows_past_its_first_array_and_keeps_earlier_frames()
    {
        using var buffer = new FrameBuffer(16);
        byte[] body = new byte[100_000];
        Random.Shared.NextBytes(body);
        FrameWriter.Write(buffer, Opcode.Ping, FrameFlags.None, 1, PingRequest.Instance);
        FrameWriter.Write(buffer, Opcode.SendMessage, FrameFlags.None, 2, new SendMessageRequest("q", new OutgoingMessage(body)));

        var sequence = new ReadOnlySequence<byte>(buffer.WrittenMemory);
        Assert.Equal(FrameReadStatus.Complete, FrameReader.TryReadFrame(ref sequence, 1 << 20, out FrameHeader first, out _));
        Assert.Equal(FrameReadStatus.Complete, FrameReader.TryReadFrame(ref sequence, 1 << 20, out FrameHeader second, out ReadOnlySequence<byte> payload));
        Assert.Equal((Opcode.Ping, 1u), (first.Opcode, first.RequestId));
        Assert.Equal((Opcode.SendMessage, 2u), (second.Opcode, second.RequestId));
        Assert.Equal(body, Codec.PayloadDecoder.Decode<SendMessageRequest>(payload).Message.Body.ToArray());
    }

    [Fact]
    public void An_error_message_quoting_a_huge_client_value_is_cut_to_fit_a_wire_string()
    {
        using var buffer = new FrameBuffer();
        string huge = "The map names '" + new string('é', 40_000) + "' twice.";

        FrameWriter.WriteError(buffer, Opcode.SetQueueAttributes, 3, ErrorCode.MalformedPayload, huge);
        FrameWriter.Write(buffer, Opcode.DeleteMessageBatch, FrameFlags.Response, 4, new BatchResultResponse([new EntryResult(ErrorCode.ReceiptHandleIsInvalid, huge)]));

        var sequence = new ReadOnlySequence<byte>(buffer.WrittenMemory);
        Assert.Equal(FrameReadStatus.Complete, FrameReader.TryReadFrame(ref sequence, 1 << 20, out _, out ReadOnlySequence<byte> errorPayload));
        ErrorResponse error = Codec.PayloadDecoder.Decode<ErrorResponse>(errorPayload);
        Assert.Equal(ErrorCode.MalformedPayload, error.Code);
        Assert.StartsWith("The map names 'éé", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(cut)", error.Message, StringComparison.Ordinal);
        Assert.Equal(FrameReadStatus.Complete, FrameReader.TryReadFrame(ref sequence, 1 << 20, out _, out ReadOnlySequence<byte> batchPayload));
        Assert.EndsWith("(cut)", Codec.PayloadDecoder.Decode<BatchResultResponse>(batchPayload).Results[0].ErrorMessage, StringComparison.Ordinal);
    }
}
