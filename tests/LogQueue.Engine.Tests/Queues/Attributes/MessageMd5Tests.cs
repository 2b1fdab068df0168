using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using LogQueue.Engine.Queues;

namespace LogQueue.Engine.Tests.Queues.Attributes;

public class MessageMd5Tests
{
    [Theory]
    [InlineData("hello", "5d41402abc4b2a76b9719d911017c592")]
    [InlineData("The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6")]
    public void Body_md5_is_the_hex_md5_of_the_utf8_body(string body, string expected)
    {
        Assert.Equal(expected, MessageMd5.OfBody(body));
        Assert.Equal(expected, MessageMd5.OfBody(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Body_md5_of_a_large_body_uses_the_utf8_bytes()
    {
        string body = string.Concat(Enumerable.Repeat("caf\u00e9 \U0001F600 ", 1000));
#pragma warning disable CA5351 // The reference for an SQS checksum.
        string expected = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));
#pragma warning restore CA5351
        Assert.Equal(expected, MessageMd5.OfBody(body));
    }

    [Fact]
    public void No_attributes_have_no_md5() => Assert.Null(MessageMd5.OfAttributes(MessageAttributes.Empty));

    // Published values: AWS SDK's samples (string pair, binary), LocalStack's (a Number) and others; the reference
    // implementation below, written from the SQS documentation, must agree with every one.
    [Fact]
    public void Known_sqs_examples()
    {
        AssertMd5("d53f3b558fe951154770f25cb63dbba9", new()
        {
            ["test_attribute_name_2"] = MessageAttributeValue.FromString("test_attribute_value_2"),
            ["test_attribute_name_1"] = MessageAttributeValue.FromString("test_attribute_value_1"),
        });
        AssertMd5("23f6bd27ea87aab7dfeadcc9aebee495", new()
        {
            ["test_attribute_name"] = MessageAttributeValue.FromBinary(Encoding.UTF8.GetBytes("test_attribute_value")),
        });
        AssertMd5("235c5c510d26fb653d073faed50ae77c", new() { ["timestamp"] = MessageAttributeValue.FromNumber("1493147359900") });
        AssertMd5("cd28f3b68aeee4b2eac9c66f2f694b58", new() { ["SellerName"] = MessageAttributeValue.FromString("Example Store") });
        AssertMd5("d21ae90c49061e927f57df5f5d72be1f", new()
        {
            ["ordinal"] = MessageAttributeValue.FromNumber("1"),
            ["category"] = MessageAttributeValue.FromString("test"),
        });
    }

    [Fact]
    public void Matches_the_reference_for_generated_sets() =>
        Prop.ForAll(MessageAttributeGenerators.Attributes.ToArbitrary(), attributes =>
            MessageMd5.OfAttributes(attributes) == (attributes.Count == 0 ? null : Reference(attributes)))
        .Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Large_attribute_values_use_a_pooled_buffer()
    {
        var attributes = new Dictionary<string, MessageAttributeValue>
        {
            ["big"] = MessageAttributeValue.FromString(new string('x', 100_000)),
            ["bin"] = MessageAttributeValue.FromBinary(new byte[50_000]),
        };
        AssertMd5(Reference(attributes), attributes);
    }

    private static void AssertMd5(string expected, Dictionary<string, MessageAttributeValue> attributes)
    {
        Assert.Equal(expected, Reference(attributes));
        Assert.Equal(expected, MessageMd5.OfAttributes(MessageAttributes.Create(attributes)));
    }

    /// <summary>
    /// The SQS algorithm, written plainly from its description: names sorted; for each attribute the name, the
    /// data type, a transport byte (1 String/Number, 2 Binary) and the value, each length-prefixed big-endian.
    /// </summary>
    private static string Reference(IEnumerable<KeyValuePair<string, MessageAttributeValue>> attributes)
    {
        using var stream = new MemoryStream();
        foreach (KeyValuePair<string, MessageAttributeValue> pair in attributes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            WriteLengthPrefixed(stream, Encoding.UTF8.GetBytes(pair.Key));
            WriteLengthPrefixed(stream, Encoding.UTF8.GetBytes(pair.Value.DataType));
            if (pair.Value.DataType.StartsWith("Binary", StringComparison.Ordinal))
            {
                stream.WriteByte(2);
                WriteLengthPrefixed(stream, pair.Value.BinaryValue.ToArray());
            }
            else
            {
                stream.WriteByte(1);
                WriteLengthPrefixed(stream, Encoding.UTF8.GetBytes(pair.Value.StringValue!));
            }
        }

#pragma warning disable CA5351 // The reference for an SQS checksum.
        return Convert.ToHexStringLower(MD5.HashData(stream.ToArray()));
#pragma warning restore CA5351
    }

    private static void WriteLengthPrefixed(MemoryStream stream, byte[] bytes)
    {
        byte[] length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        stream.Write(length);
        stream.Write(bytes);
    }
}
