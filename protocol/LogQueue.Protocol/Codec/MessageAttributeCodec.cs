using System.Collections.ObjectModel;
using System.Text;

namespace LogQueue.Protocol.Codec;

/// <summary>
/// Message attributes on the wire: a u16 count, then per attribute its name (string), data type (string) and
/// value (bytes: UTF-8 text for String and Number types, the raw bytes for Binary types).
/// </summary>
public static class MessageAttributeCodec
{
    /// <summary>The empty attribute set, shared.</summary>
    public static IReadOnlyDictionary<string, MessageAttribute> Empty { get; } = ReadOnlyDictionary<string, MessageAttribute>.Empty;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes an attribute set (null: none).</summary>
    public static void Write(ref PayloadWriter writer, IReadOnlyDictionary<string, MessageAttribute>? attributes)
    {
        if (attributes is null)
        {
            writer.WriteCount(0);
            return;
        }

        writer.WriteCount(attributes.Count);
        foreach (KeyValuePair<string, MessageAttribute> entry in attributes)
        {
            writer.WriteString(entry.Key);
            writer.WriteString(entry.Value.DataType);
            if (entry.Value.IsBinary)
            {
                writer.WriteBytes(entry.Value.BinaryValue.Span);
            }
            else
            {
                writer.WriteTextAsBytes(entry.Value.StringValue ?? string.Empty);
            }
        }
    }

    /// <summary>Reads an attribute set; the shared empty set when there are none.</summary>
    public static IReadOnlyDictionary<string, MessageAttribute> Read(ref PayloadReader reader)
    {
        int count = reader.ReadCount(minimumItemSize: 8);
        if (count == 0)
        {
            return Empty;
        }

        var attributes = new Dictionary<string, MessageAttribute>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            string dataType = reader.ReadString();
            MessageAttribute value;
            if (MessageAttribute.IsBinaryType(dataType))
            {
                value = new MessageAttribute(dataType, null, reader.ReadBytesAsMemory());
            }
            else
            {
                ReadOnlyMemory<byte> text = reader.ReadBytesAsMemory();
                try
                {
                    value = new MessageAttribute(dataType, StrictUtf8.GetString(text.Span));
                }
                catch (DecoderFallbackException ex)
                {
                    throw new ProtocolFormatException($"The value of attribute '{name}' is not valid UTF-8.", ex);
                }
            }

            if (!attributes.TryAdd(name, value))
            {
                throw new ProtocolFormatException($"The attribute '{name}' appears twice.");
            }
        }

        return attributes;
    }
}
