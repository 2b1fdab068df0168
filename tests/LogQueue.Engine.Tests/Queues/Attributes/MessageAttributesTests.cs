using System.Text;
using LogQueue.Engine.Queues;

namespace LogQueue.Engine.Tests.Queues.Attributes;

public class MessageAttributesTests
{
    private static MessageAttributes One(string name, MessageAttributeValue value) =>
        MessageAttributes.Create([new KeyValuePair<string, MessageAttributeValue>(name, value)]);

    private static LogQueueException Refused(string name, MessageAttributeValue value) =>
        Assert.Throws<LogQueueException>(() => One(name, value));

    [Theory]
    [InlineData("a")]
    [InlineData("Z9")]
    [InlineData("with_underscore-and-hyphen")]
    [InlineData("dotted.name.ok")]
    [InlineData("aws")]
    [InlineData("AWSx.y")]
    [InlineData("AmazonX")]
    [InlineData("x.AWS.y")]
    public void Valid_names(string name) => Assert.Single(One(name, MessageAttributeValue.FromString("v")));

    [Fact]
    public void Names_may_have_256_characters_not_257()
    {
        Assert.Single(One(new string('n', 256), MessageAttributeValue.FromString("v")));
        var ex = Refused(new string('n', 257), MessageAttributeValue.FromString("v"));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains("257 characters", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("a b", "#x20")]
    [InlineData("a/b", "#x2F")]
    [InlineData("caf\u00e9", "#xE9")]
    [InlineData("AWS.x", "reserves")]
    [InlineData("aws.x", "reserves")]
    [InlineData("Aws.X", "reserves")]
    [InlineData("Amazon.x", "reserves")]
    [InlineData("AMAZON.x", "reserves")]
    [InlineData(".a", "period")]
    [InlineData("a.", "period")]
    [InlineData(".", "period")]
    [InlineData("a..b", "two periods")]
    public void Invalid_names_are_refused_with_the_rule(string name, string reason)
    {
        var ex = Refused(name, MessageAttributeValue.FromString("v"));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_are_case_sensitive_and_unique()
    {
        MessageAttributes both = MessageAttributes.Create(new Dictionary<string, MessageAttributeValue>
        {
            ["key"] = MessageAttributeValue.FromString("1"),
            ["Key"] = MessageAttributeValue.FromString("2"),
        });
        Assert.Equal(2, both.Count);
        Assert.Equal("1", both["key"].StringValue);
        Assert.Equal("2", both["Key"].StringValue);
        Assert.False(both.ContainsKey("KEY"));

        var ex = Assert.Throws<LogQueueException>(() => MessageAttributes.Create(
        [
            new KeyValuePair<string, MessageAttributeValue>("k", MessageAttributeValue.FromString("1")),
            new KeyValuePair<string, MessageAttributeValue>("k", MessageAttributeValue.FromString("2")),
        ]));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains("more than once", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void At_most_ten_attributes()
    {
        static IEnumerable<KeyValuePair<string, MessageAttributeValue>> Many(int n) =>
            Enumerable.Range(0, n).Select(i => new KeyValuePair<string, MessageAttributeValue>($"a{i}", MessageAttributeValue.FromString("v")));

        Assert.Equal(10, MessageAttributes.Create(Many(10)).Count);
        var ex = Assert.Throws<LogQueueException>(() => MessageAttributes.Create(Many(11)));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains("at most 10", ex.Message, StringComparison.Ordinal);
        Assert.Contains("has 11", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_are_kept_in_ordinal_name_order()
    {
        MessageAttributes attributes = MessageAttributes.Create(new Dictionary<string, MessageAttributeValue>
        {
            ["b"] = MessageAttributeValue.FromString("1"),
            ["a"] = MessageAttributeValue.FromString("2"),
            ["B"] = MessageAttributeValue.FromString("3"),
            ["_"] = MessageAttributeValue.FromString("4"),
        });
        Assert.Equal(["B", "_", "a", "b"], attributes.Keys);
        Assert.Same(MessageAttributes.Empty, MessageAttributes.Create(null));
        Assert.Same(MessageAttributes.Empty, MessageAttributes.Create([]));
    }

    [Theory]
    [InlineData("String")]
    [InlineData("Number")]
    [InlineData("Binary")]
    [InlineData("String.url")]
    [InlineData("Number.int")]
    [InlineData("Binary.png")]
    [InlineData("String.caf\u00e9 x.y")]
    public void Valid_data_types(string dataType)
    {
        MessageAttributeValue value = dataType.StartsWith("Binary", StringComparison.Ordinal)
            ? new MessageAttributeValue(dataType, null, new byte[] { 1 })
            : new MessageAttributeValue(dataType, "1");
        Assert.Single(One("a", value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("string")]
    [InlineData("STRING")]
    [InlineData("Str")]
    [InlineData("Strings")]
    [InlineData("String.")]
    [InlineData("Text")]
    [InlineData("StringList")]
    public void Invalid_data_types_are_refused(string dataType)
    {
        var ex = Refused("a", new MessageAttributeValue(dataType, "1"));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains("String, Number or Binary", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_types_may_have_256_bytes_not_257()
    {
        Assert.Single(One("a", new MessageAttributeValue("String." + new string('t', 249), "v")));
        var ex = Refused("a", new MessageAttributeValue("String." + new string('t', 250), "v"));
        Assert.Contains("257 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.InvalidMessageContents, Refused("a", new MessageAttributeValue("String.\u0001", "v")).Code);
    }

    [Theory]
    [InlineData("String", "\u0000")]
    [InlineData("String", "\u0008")]
    [InlineData("String", "ok\u001f")]
    [InlineData("String", "\uFFFE")]
    [InlineData("String", "\uFFFF")]
    public void String_values_with_characters_xml_does_not_allow_are_refused(string type, string value)
    {
        var ex = Refused("a", new MessageAttributeValue(type, value));
        Assert.Equal(ErrorCode.InvalidMessageContents, ex.Code);
        Assert.Contains("#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lone_surrogates_are_refused()
    {
        // Built here, not in InlineData: xunit's serialization of theory data replaces lone surrogates.
        foreach (string value in new[] { "\uD800", "a\uDC00b", "\uD83D", "\uDE00\uD83D" })
        {
            Assert.Equal(ErrorCode.InvalidMessageContents, Refused("a", MessageAttributeValue.FromString(value)).Code);
        }
    }

    [Theory]
    [InlineData("\t\n\r")]
    [InlineData(" ~\u007f\u0080")]
    [InlineData("\uD7FF\uE000\uFFFD")]
    [InlineData("\U00010000\U0010FFFF\U0001F600")]
    [InlineData("plain ascii text")]
    public void String_values_with_allowed_characters_pass(string value) =>
        Assert.Single(One("a", MessageAttributeValue.FromString(value)));

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("+1")]
    [InlineData("-12.5")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1e3")]
    [InlineData("1E-3")]
    [InlineData("1e+3")]
    [InlineData("0e99999999999999999999")]
    [InlineData("12345678901234567890123456789012345678")]
    [InlineData("1234567890123456789012345678901234567800000")]
    [InlineData("0.00000000000000000000000000000000000001234567890123456789012345678901234567")]
    [InlineData("1e126")]
    [InlineData("-1e126")]
    [InlineData("0.1e127")]
    [InlineData("9.99e125")]
    [InlineData("1e-128")]
    [InlineData("-1e-128")]
    [InlineData("10e-129")]
    public void Valid_numbers(string number) => Assert.Single(One("n", MessageAttributeValue.FromNumber(number)));

    [Theory]
    [InlineData("", "non-empty")]
    [InlineData("abc", "not a number")]
    [InlineData(" 1", "not a number")]
    [InlineData("1 ", "not a number")]
    [InlineData("1,5", "not a number")]
    [InlineData(".", "not a number")]
    [InlineData("-", "not a number")]
    [InlineData("1e", "exponent")]
    [InlineData("1e+", "exponent")]
    [InlineData("0x10", "not a number")]
    [InlineData("NaN", "not a number")]
    [InlineData("Infinity", "not a number")]
    [InlineData("1..2", "not a number")]
    [InlineData("123456789012345678901234567890123456789", "39 significant digits")]
    [InlineData("1.00000000000000000000000000000000000001", "39 significant digits")]
    [InlineData("1.1e126", "magnitude")]
    [InlineData("2e126", "magnitude")]
    [InlineData("1e127", "magnitude")]
    [InlineData("-1e127", "magnitude")]
    [InlineData("1e99999999999999999999", "magnitude")]
    [InlineData("9e-129", "magnitude")]
    [InlineData("1e-129", "magnitude")]
    public void Invalid_numbers_are_refused(string number, string reason)
    {
        var ex = Refused("n", MessageAttributeValue.FromNumber(number));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'n'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_must_match_their_type()
    {
        Assert.Contains("non-empty StringValue", Refused("a", MessageAttributeValue.FromString("")).Message, StringComparison.Ordinal);
        Assert.Contains("non-empty StringValue", Refused("a", new MessageAttributeValue("String", null)).Message, StringComparison.Ordinal);
        Assert.Contains("non-empty BinaryValue", Refused("a", MessageAttributeValue.FromBinary(Array.Empty<byte>())).Message, StringComparison.Ordinal);
        Assert.Contains("must not have a StringValue", Refused("a", new MessageAttributeValue("Binary", "x", new byte[] { 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("must not have a BinaryValue", Refused("a", new MessageAttributeValue("String", "x", new byte[] { 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("must not have a BinaryValue", Refused("a", new MessageAttributeValue("Number", "1", new byte[] { 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("has no value", Refused("a", null!).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_values_may_hold_any_bytes() =>
        Assert.Single(One("b", MessageAttributeValue.FromBinary(new byte[] { 0, 0xFF, 0xFE, 0x80 })));

    [Fact]
    public void Size_counts_name_data_type_and_value_in_utf8_bytes()
    {
        MessageAttributes attributes = MessageAttributes.Create(new Dictionary<string, MessageAttributeValue>
        {
            ["ab"] = MessageAttributeValue.FromString("h\u00e9\U0001F600"),                       // 2 + 6 + (1 + 2 + 4)
            ["num"] = MessageAttributeValue.FromNumber("-1.5", "int"),                           // 3 + 10 + 4
            ["bin"] = MessageAttributeValue.FromBinary(new byte[] { 1, 2, 3 }, "caf\u00e9"),     // 3 + 12 + 3
        });

        Assert.Equal(15 + 17 + 18, attributes.Size);
        Assert.Equal(0, MessageAttributes.Empty.Size);
        Assert.Equal(12, Encoding.UTF8.GetByteCount("Binary.caf\u00e9"));
    }

    [Fact]
    public void Values_expose_their_type_parts()
    {
        MessageAttributeValue url = MessageAttributeValue.FromString("https://x", "url");
        Assert.Equal("String.url", url.DataType);
        Assert.Equal(MessageAttributeDataType.String, url.BaseType);
        Assert.Equal("url", url.CustomType);
        Assert.Null(MessageAttributeValue.FromNumber("1").CustomType);
        Assert.Equal(MessageAttributeDataType.None, new MessageAttributeValue("Nope", "1").BaseType);
        Assert.Equal(MessageAttributeValue.FromBinary(new byte[] { 1, 2 }), MessageAttributeValue.FromBinary(new byte[] { 1, 2 }));
        Assert.NotEqual(MessageAttributeValue.FromBinary(new byte[] { 1, 2 }), MessageAttributeValue.FromBinary(new byte[] { 1, 3 }));
    }
}
