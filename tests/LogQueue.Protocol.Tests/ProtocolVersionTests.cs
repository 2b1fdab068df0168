using System.Buffers;
using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Operations;

namespace LogQueue.Protocol.Tests;

/// <summary>The shapes that differ by protocol version: what each version carries, and that the two never mix silently.</summary>
public sealed class ProtocolVersionTests
{
    private static readonly ReceivedMessage FifoMessage = new(
        new MessageId(1, 7), 7, "rh", 1_700_000_000_000, 1, 1_700_000_000_000, null, "g1", Codec.MessageAttributeCodec.Empty, "a"u8.ToArray(), "d1");

    [Fact]
    public void Version_2_carries_the_deduplication_id_of_a_received_message()
    {
        ReceiveMessageResponse decoded = PayloadDecoder.Decode<ReceiveMessageResponse>(Encode(FifoMessage, version: 2), version: 2);

        ReceivedMessage message = Assert.Single(decoded.Messages);
        Assert.Equal("g1", message.MessageGroupId);
        Assert.Equal("d1", message.MessageDeduplicationId);
        Assert.Equal(7, message.SequenceNumber);
    }

    [Fact]
    public void Version_1_drops_the_deduplication_id_and_keeps_every_other_field()
    {
        ReceiveMessageResponse decoded = PayloadDecoder.Decode<ReceiveMessageResponse>(Encode(FifoMessage, version: 1), version: 1);

        ReceivedMessage message = Assert.Single(decoded.Messages);
        Assert.Null(message.MessageDeduplicationId);
        Assert.Equal(FifoMessage with { MessageDeduplicationId = null, Attributes = message.Attributes, Body = message.Body }, message);
        Assert.Equal("a"u8.ToArray(), message.Body.ToArray());
    }

    [Fact]
    public void A_version_2_message_is_two_bytes_longer_than_its_version_1_form_even_without_an_id()
    {
        ReceivedMessage standard = FifoMessage with { MessageGroupId = null, MessageDeduplicationId = null };

        Assert.Equal(Encode(standard, version: 1).Length + 2, Encode(standard, version: 2).Length);
    }

    [Fact]
    public void A_payload_read_in_the_wrong_version_is_refused_not_misread()
    {
        // The extra null string makes a version 2 payload read as version 1 end with bytes to spare, or read its
        // attribute count from the id: either way a format error, never a message with shifted fields.
        byte[] v2 = Encode(FifoMessage, version: 2);
        byte[] v1 = Encode(FifoMessage, version: 1);

        Assert.Throws<ProtocolFormatException>(() => PayloadDecoder.Decode<ReceiveMessageResponse>(v2, version: 1));
        Assert.Throws<ProtocolFormatException>(() => PayloadDecoder.Decode<ReceiveMessageResponse>(v1, version: 2));
    }

    [Fact]
    public void Requests_encode_the_same_in_both_versions()
    {
        var send = new SendMessageRequest("o.fifo", new OutgoingMessage("a"u8.ToArray(), MessageGroupId: "g1", MessageDeduplicationId: "d1"));
        var receive = new ReceiveMessageRequest("o.fifo", 10, null, null, "try-1");

        Assert.Equal(EncodePayload(send, 1), EncodePayload(send, 2));
        Assert.Equal(EncodePayload(receive, 1), EncodePayload(receive, 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ProtocolVersion.Current + 1)]
    public void A_version_this_library_does_not_speak_is_refused(int version)
    {
        var buffer = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentOutOfRangeException>(() => new PayloadWriter(buffer, (ushort)version));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PayloadReader(ReadOnlySequence<byte>.Empty, (ushort)version));
    }

    private static byte[] Encode(ReceivedMessage message, ushort version) => EncodePayload(new ReceiveMessageResponse([message]), version);

    private static byte[] EncodePayload<T>(T payload, ushort version)
        where T : IPayload<T>
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new PayloadWriter(buffer, version);
        payload.Write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
