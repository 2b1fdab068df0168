using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using LogQueue.Engine.Queues;

namespace LogQueue.Engine.Tests.Queues.Attributes;

public class MessageAttributesCodecTests
{
    private static MessageAttributes Sample() => MessageAttributes.Create(new Dictionary<string, MessageAttributeValue>
    {
        ["n"] = MessageAttributeValue.FromNumber("-1.5", "int"),
        ["a"] = MessageAttributeValue.FromString("hi"),
        ["b"] = MessageAttributeValue.FromBinary(new byte[] { 0x00, 0xFF }, "png"),
    });

    [Fact]
    public void No_attributes_and_no_engine_section_encode_as_zero_bytes()
    {
        Assert.Equal(0, MessageAttributesCodec.GetEncodedLength(MessageAttributes.Empty));
        Assert.Empty(MessageAttributesCodec.Encode(MessageAttributes.Empty));
        var writer = new ArrayBufferWriter<byte>();
        Assert.Equal(0, MessageAttributesCodec.Encode(MessageAttributes.Empty, default, writer));
        Assert.Equal(0, writer.WrittenCount);
        Assert.Same(MessageAttributes.Empty, MessageAttributesCodec.Decode([], out MessageEngineAttributes engine));
        Assert.True(engine.IsEmpty);
    }

    [Fact]
    public void Golden_bytes_of_one_attribute_set()
    {
        byte[] expected = Convert.FromHexString(
            "010003"                                    // version 1, no engine section, 3 attributes
            + "0100010002000000" + "61" + "6869"        // "a": String, no custom type, name 1, value 2: "hi"
            + "0303010002000000" + "62" + "706e67" + "00ff"          // "b": Binary.png, 2 bytes
            + "0203010004000000" + "6e" + "696e74" + "2d312e35");    // "n": Number.int, "-1.5"

        byte[] block = MessageAttributesCodec.Encode(Sample());

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(block));
        Assert.Equal(expected.Length, MessageAttributesCodec.GetEncodedLength(Sample()));
    }

    [Fact]
    public void Golden_bytes_with_an_engine_section()
    {
        var engine = new MessageEngineAttributes(QueueName.Parse("q"), OriginalSentTimestamp: 0x0102030405060708);
        byte[] expected = Convert.FromHexString(
            "010101" + "0100010002000000" + "61" + "6869"    // flags: engine section; "a" = "hi"
            + "0f00"                                         // 15 bytes of fields
            + "010100" + "71"                                // tag 1, length 1: "q"
            + "030800" + "0807060504030201");                // tag 3, length 8: the timestamp

        byte[] block = MessageAttributesCodec.Encode(
            MessageAttributes.Create(new Dictionary<string, MessageAttributeValue> { ["a"] = MessageAttributeValue.FromString("hi") }), engine);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(block));
    }

    [Fact]
    public void Engine_attributes_alone_make_a_block_with_no_user_attributes()
    {
        var engine = new MessageEngineAttributes(OriginalMessageId: "m-1");

        byte[] block = MessageAttributesCodec.Encode(MessageAttributes.Empty, engine);

        Assert.Equal("0101000600020300" + "6D2D31", Convert.ToHexString(block));
        Assert.Empty(MessageAttributesCodec.Decode(block, out MessageEngineAttributes read));
        Assert.Equal(engine, read);
        Assert.Equal(engine, MessageAttributesCodec.DecodeEngineAttributes(block));
    }

    [Fact]
    public void Round_trip_property()
    {
        Arbitrary<(MessageAttributes, MessageEngineAttributes)> arbitrary =
            (from attributes in MessageAttributeGenerators.Attributes
             from engine in MessageAttributeGenerators.Engine
             select (attributes, engine)).ToArbitrary();

        Prop.ForAll(arbitrary, input =>
        {
            (MessageAttributes attributes, MessageEngineAttributes engine) = input;
            int length = MessageAttributesCodec.GetEncodedLength(attributes, engine);
            var writer = new ArrayBufferWriter<byte>();
            int written = MessageAttributesCodec.Encode(attributes, engine, writer);

            MessageAttributes decoded = MessageAttributesCodec.Decode(writer.WrittenSpan, out MessageEngineAttributes decodedEngine);

            return written == length
                && writer.WrittenCount == length
                && (length == 0) == (attributes.Count == 0 && engine.IsEmpty)
                && decoded.SequenceEqual(attributes)
                && decoded.Size == attributes.Size
                && decodedEngine == engine
                && MessageAttributesCodec.DecodeEngineAttributes(writer.WrittenSpan) == engine
                && MessageMd5.OfAttributes(decoded) == MessageMd5.OfAttributes(attributes)
                && MessageAttributesCodec.Encode(decoded, decodedEngine).AsSpan().SequenceEqual(writer.WrittenSpan);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Replacing_the_engine_section_keeps_the_user_attributes_byte_for_byte()
    {
        byte[] plain = MessageAttributesCodec.Encode(Sample());
        var marked = new MessageEngineAttributes(QueueName.Parse("source"), "id-1", 1_700_000_000_000);

        var withEngine = new ArrayBufferWriter<byte>();
        MessageAttributesCodec.ReplaceEngineAttributes(plain, marked, withEngine);
        var cleared = new ArrayBufferWriter<byte>();
        MessageAttributesCodec.ReplaceEngineAttributes(withEngine.WrittenSpan, default, cleared);
        var fromEmpty = new ArrayBufferWriter<byte>();
        MessageAttributesCodec.ReplaceEngineAttributes([], marked, fromEmpty);
        var emptyToEmpty = new ArrayBufferWriter<byte>();

        Assert.Equal(MessageAttributesCodec.Encode(Sample(), marked), withEngine.WrittenSpan.ToArray());
        Assert.Equal(plain, cleared.WrittenSpan.ToArray());
        Assert.Equal(MessageAttributesCodec.Encode(MessageAttributes.Empty, marked), fromEmpty.WrittenSpan.ToArray());
        Assert.Equal(0, MessageAttributesCodec.ReplaceEngineAttributes(MessageAttributesCodec.Encode(MessageAttributes.Empty, marked), default, emptyToEmpty));
    }

    [Fact]
    public void Encoding_into_a_span_checks_its_size()
    {
        int length = MessageAttributesCodec.GetEncodedLength(Sample());
        byte[] buffer = new byte[length + 5];

        Assert.Equal(length, MessageAttributesCodec.Encode(Sample(), default, buffer));
        Assert.Throws<ArgumentException>(() => MessageAttributesCodec.Encode(Sample(), default, new byte[length - 1]));
    }

    [Fact]
    public void Unknown_engine_fields_are_skipped()
    {
        // Engine section with an unknown tag 9 (2 bytes) between tag 1 and... none after: a later build's field.
        byte[] block = Convert.FromHexString("010100" + "0900" + "010100" + "71" + "090200" + "abcd");

        Assert.Equal(new MessageEngineAttributes(QueueName.Parse("q")), MessageAttributesCodec.DecodeEngineAttributes(block));
    }

    [Theory]
    [InlineData("02")]                                  // too short for a header
    [InlineData("020000")]                              // unknown version
    [InlineData("010200")]                              // unknown flag
    [InlineData("010001")]                              // an entry is missing
    [InlineData("0100010400010002000000616869")]        // unknown data type 4
    [InlineData("0100010100000002000000616869")]        // name of 0 bytes
    [InlineData("0100010100010003000000616869")]        // value runs past the end
    [InlineData("010001010001000200000061686900")]      // a byte after the last field
    [InlineData("0100020100010001000000626801000100010000006168")] // names out of order: "b" then "a"
    [InlineData("0100010100010002000000E16869")]        // a name that is not ASCII
    [InlineData("0100010100010002000000" + "61" + "C328")] // a value that is not UTF-8
    [InlineData("010100" + "0300" + "010100")]          // an engine field runs past the section
    [InlineData("010100" + "0800" + "030100" + "01" + "010100" + "71")] // tags out of order
    [InlineData("010100" + "0400" + "010100" + "2e")]   // a source queue that is not a queue name
    [InlineData("010100" + "0400" + "030100" + "01")]   // a timestamp that is not 8 bytes
    public void Malformed_blocks_are_reported_as_corrupt(string hex)
    {
        byte[] block = Convert.FromHexString(hex);

        Assert.Equal(ErrorCode.StorageCorrupt, Assert.Throws<LogQueueException>(() => MessageAttributesCodec.Decode(block)).Code);
    }

    [Fact]
    public void Truncating_a_valid_block_anywhere_is_reported_as_corrupt()
    {
        byte[] block = MessageAttributesCodec.Encode(Sample(), new MessageEngineAttributes(QueueName.Parse("q"), "id", 5));

        for (int length = 1; length < block.Length; length++)
        {
            var ex = Assert.Throws<LogQueueException>(() => MessageAttributesCodec.Decode(block.AsSpan(0, length)));
            Assert.Equal(ErrorCode.StorageCorrupt, ex.Code);
        }
    }

    [Fact]
    public void An_original_message_id_is_bounded() =>
        Assert.Throws<ArgumentException>(() => MessageAttributesCodec.GetEncodedLength(
            MessageAttributes.Empty, new MessageEngineAttributes(OriginalMessageId: new string('x', MessageEngineAttributes.MaxMessageIdBytes + 1))));
}
