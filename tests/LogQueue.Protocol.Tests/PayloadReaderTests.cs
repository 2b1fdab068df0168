using System.Buffers;
using System.Runtime.InteropServices;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;

namespace LogQueue.Protocol.Tests;

public sealed class PayloadReaderTests
{
    [Fact]
    public void A_string_that_is_not_utf8_is_malformed()
    {
        byte[] payload = [0x02, 0x00, 0xC3, 0x28];

        ProtocolFormatException error = Assert.Throws<ProtocolFormatException>(() => PayloadDecoder.Decode<DeleteQueueRequest>(new ReadOnlySequence<byte>(payload)));
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_split_across_segments_decodes_even_inside_a_character()
    {
        byte[] payload = EncodeQueueName("aé€");

        // Cut inside "é" (bytes 3-4) and inside "€" (bytes 5-7).
        ReadOnlySequence<byte> split = TestSupport.SegmentedSequence.Split(payload, 1, 4, 6);

        Assert.Equal("aé€", PayloadDecoder.Decode<DeleteQueueRequest>(split).QueueName);
    }

    [Fact]
    public void A_null_where_a_string_is_required_is_malformed()
    {
        byte[] payload = [0xFF, 0xFF];

        Assert.Throws<ProtocolFormatException>(() => PayloadDecoder.Decode<DeleteQueueRequest>(new ReadOnlySequence<byte>(payload)));
        Assert.Null(PayloadDecoder.Decode<ListQueuesRequest>(new ReadOnlySequence<byte>(payload)).Prefix);
    }

    [Fact]
    public void A_count_that_cannot_fit_in_the_payload_is_refused_before_allocating()
    {
        // 65535 receipt handles announced, none present.
        byte[] payload = [.. EncodeQueueName("q"), 0xFF, 0xFF];

        ProtocolFormatException error = Assert.Throws<ProtocolFormatException>(() => PayloadDecoder.Decode<DeleteMessageBatchRequest>(new ReadOnlySequence<byte>(payload)));
        Assert.Contains("65535", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_byte_string_longer_than_the_payload_is_malformed()
    {
        byte[] payload = [.. EncodeQueueName("q"), 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3];

        Assert.Throws<ProtocolFormatException>(() => PayloadDecoder.Decode<SendMessageRequest>(new ReadOnlySequence<byte>(payload)));
    }

    [Fact]
    public void A_negative_duration_other_than_minus_one_is_malformed()
    {
        byte[] payload = [.. EncodeQueueName("q"), 0x01, 0x00, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

        Assert.Throws<ProtocolFormatException>(() => PayloadDecoder.Decode<ReceiveMessageRequest>(new ReadOnlySequence<byte>(payload)));
    }

    [Fact]
    public void A_map_naming_a_key_twice_is_malformed()
    {
        byte[] payload = [.. EncodeQueueName("q"), 0x02, 0x00, .. EncodeQueueName("A"), .. EncodeQueueName("1"), .. EncodeQueueName("A"), .. EncodeQueueName("2")];

        Assert.Throws<ProtocolFormatException>(() => PayloadDecoder.Decode<SetQueueAttributesRequest>(new ReadOnlySequence<byte>(payload)));
    }

    [Fact]
    public void A_hello_without_the_magic_bytes_is_malformed()
    {
        byte[] payload = [.. "HTTP"u8, 1, 0, 1, 0, .. EncodeQueueName("c"), 0xFF, 0xFF];

        ProtocolFormatException error = Assert.Throws<ProtocolFormatException>(() => PayloadDecoder.Decode<HelloRequest>(new ReadOnlySequence<byte>(payload)));
        Assert.Contains("LQUE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bodies_decoded_from_contiguous_memory_are_slices_of_it_not_copies()
    {
        using var buffer = new FrameBuffer();
        FrameWriter.Write(buffer, Opcode.SendMessageBatch, FrameFlags.None, 1, new SendMessageBatchRequest("q", [new OutgoingMessage(new byte[300]), new OutgoingMessage(new byte[5])]));
        byte[] payload = buffer.WrittenSpan[FrameHeader.Size..].ToArray();

        SendMessageBatchRequest request = PayloadDecoder.Decode<SendMessageBatchRequest>(payload.AsMemory());

        foreach (OutgoingMessage message in request.Messages)
        {
            Assert.True(MemoryMarshal.TryGetArray(message.Body, out ArraySegment<byte> segment));
            Assert.Same(payload, segment.Array);
        }
    }

    [Fact]
    public void A_binary_attribute_keeps_its_bytes_and_a_string_attribute_its_text()
    {
        var attributes = new Dictionary<string, MessageAttribute>
        {
            ["b"] = MessageAttribute.FromBinary(new byte[] { 0xC3, 0x28 }, "raw"),
            ["s"] = MessageAttribute.FromString("žluť"),
            ["n"] = MessageAttribute.FromNumber("-1e3"),
        };
        using var buffer = new FrameBuffer();
        FrameWriter.Write(buffer, Opcode.SendMessage, FrameFlags.None, 1, new SendMessageRequest("q", new OutgoingMessage("x"u8.ToArray(), attributes)));

        SendMessageRequest decoded = PayloadDecoder.Decode<SendMessageRequest>(buffer.WrittenMemory[FrameHeader.Size..]);

        Assert.Equal(attributes, decoded.Message.Attributes);
        Assert.True(decoded.Message.Attributes!["b"].IsBinary);
        Assert.Equal("Binary.raw", decoded.Message.Attributes["b"].DataType);
    }

    private static byte[] EncodeQueueName(string name)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new PayloadWriter(buffer);
        writer.WriteString(name);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
