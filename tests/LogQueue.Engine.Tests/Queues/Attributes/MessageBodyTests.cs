using System.Text;
using LogQueue.Engine.Queues;

namespace LogQueue.Engine.Tests.Queues.Attributes;

public class MessageBodyTests
{
    [Theory]
    [InlineData("x", 1)]
    [InlineData("\t\n\r hello", 9)]
    [InlineData("\u00e9", 2)]
    [InlineData("\uD7FF\uE000\uFFFD", 9)]
    [InlineData("\U00010000\U0010FFFF", 8)]
    public void Valid_bodies_are_measured_in_utf8_bytes(string body, int bytes)
    {
        Assert.Equal(bytes, MessageBody.Validate(body));
        MessageBody.Validate(Encoding.UTF8.GetBytes(body));
    }

    [Fact]
    public void An_empty_body_is_refused()
    {
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<LogQueueException>(() => MessageBody.Validate("")).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<LogQueueException>(() => MessageBody.Validate(ReadOnlySpan<byte>.Empty)).Code);
    }

    [Theory]
    [InlineData("\u0000", 0)]
    [InlineData("ok\u0001", 2)]
    [InlineData("a\u001fb", 1)]
    [InlineData("\uFFFE", 0)]
    [InlineData("\uFFFF", 0)]
    public void Characters_xml_does_not_allow_are_refused_with_their_position(string body, int index) => AssertRefusedAt(body, index);

    [Fact]
    public void Lone_surrogates_are_refused_with_their_position()
    {
        // Built here, not in InlineData: xunit's serialization of theory data replaces lone surrogates.
        AssertRefusedAt("x\uD800", 1);
        AssertRefusedAt("\uDC00x", 0);
        AssertRefusedAt("\U0001F600\uDE00", 2);
    }

    private static void AssertRefusedAt(string body, int index)
    {
        var ex = Assert.Throws<LogQueueException>(() => MessageBody.Validate(body));

        Assert.Equal(ErrorCode.InvalidMessageContents, ex.Code);
        Assert.Contains($"at character {index}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x00 }, 1)]
    [InlineData(new byte[] { 0x61, 0x62, 0x0B }, 2)]
    [InlineData(new byte[] { 0xEF, 0xBF, 0xBE }, 0)]          // U+FFFE
    [InlineData(new byte[] { 0x61, 0xC3 }, 1)]                 // truncated sequence
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, 0)]           // encoded surrogate
    [InlineData(new byte[] { 0xC0, 0xAF }, 0)]                 // overlong
    [InlineData(new byte[] { 0xFF }, 0)]
    public void Utf8_bodies_must_be_well_formed_and_allowed(byte[] body, int index)
    {
        var ex = Assert.Throws<LogQueueException>(() => MessageBody.Validate(body));

        Assert.Equal(ErrorCode.InvalidMessageContents, ex.Code);
        Assert.Contains($"at byte {index}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_valid_text_passes_the_vectorized_path()
    {
        string body = string.Concat(Enumerable.Repeat("Grüße, 世界! \U0001F600\t", 5000));
        Assert.Equal(Encoding.UTF8.GetByteCount(body), MessageBody.Validate(body));
        MessageBody.Validate(Encoding.UTF8.GetBytes(body));

        var ex = Assert.Throws<LogQueueException>(() => MessageBody.Validate(body + "\u0002"));
        Assert.Contains($"at character {body.Length}", ex.Message, StringComparison.Ordinal);
    }
}
