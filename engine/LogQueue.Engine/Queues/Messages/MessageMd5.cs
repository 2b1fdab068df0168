using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace LogQueue.Engine.Queues;

/// <summary>
/// The MD5 digests SQS returns so that a client can check what the server received: <c>MD5OfMessageBody</c>
/// and <c>MD5OfMessageAttributes</c>, as lowercase hex. SQS SDKs verify them, so they must match SQS's
/// algorithm to the byte. MD5 here is a checksum, not a security measure.
/// </summary>
/// <remarks>
/// <c>MD5OfMessageAttributes</c> is the MD5 of this byte string, over the attributes in ordinal order of name:
/// <code>
/// for each attribute:
///   u32 big-endian length, UTF-8 name
///   u32 big-endian length, UTF-8 data type (custom part included: "String.url")
///   u8  transport type: 1 for String and Number, 2 for Binary
///   u32 big-endian length, value (UTF-8 text, or the binary bytes)
/// </code>
/// </remarks>
[SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "SQS compatibility checksum, not security.")]
public static class MessageMd5
{
    private const byte StringTransportType = 1;
    private const byte BinaryTransportType = 2;
    private const int StackBufferLimit = 1024;

    /// <summary>MD5 of the UTF-8 bytes of <paramref name="body"/>, lowercase hex.</summary>
    public static string OfBody(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        int length = Encoding.UTF8.GetByteCount(body);
        byte[]? rented = null;
        Span<byte> utf8 = length <= StackBufferLimit ? stackalloc byte[StackBufferLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            int written = Encoding.UTF8.GetBytes(body, utf8);
            return OfBody(utf8[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>MD5 of a UTF-8 body, lowercase hex.</summary>
    public static string OfBody(ReadOnlySpan<byte> utf8Body)
    {
        Span<byte> hash = stackalloc byte[MD5.HashSizeInBytes];
        MD5.HashData(utf8Body, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>SQS's <c>MD5OfMessageAttributes</c>, lowercase hex; null when there are no attributes (SQS leaves it out then).</summary>
    public static string? OfAttributes(MessageAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Count == 0)
        {
            return null;
        }

        long total = 0;
        foreach (MessageAttributes.Entry entry in attributes.Entries)
        {
            total += 4 + entry.Name.Length + 4 + entry.DataTypeByteCount + 1 + 4 + (long)entry.ValueByteCount;
        }

        if (total > Array.MaxLength)
        {
            throw new LogQueueException(ErrorCode.MessageTooLong, $"The message attributes are too large to digest ({total} bytes).");
        }

        byte[]? rented = null;
        Span<byte> buffer = total <= StackBufferLimit ? stackalloc byte[StackBufferLimit] : (rented = ArrayPool<byte>.Shared.Rent((int)total));
        try
        {
            int at = 0;
            foreach (MessageAttributes.Entry entry in attributes.Entries)
            {
                MessageAttributeValue value = entry.Value;
                at += WriteString(buffer[at..], entry.Name);
                at += WriteString(buffer[at..], value.DataType);
                if (value.BaseType == MessageAttributeDataType.Binary)
                {
                    buffer[at++] = BinaryTransportType;
                    BinaryPrimitives.WriteInt32BigEndian(buffer[at..], value.BinaryValue.Length);
                    value.BinaryValue.Span.CopyTo(buffer[(at + 4)..]);
                    at += 4 + value.BinaryValue.Length;
                }
                else
                {
                    buffer[at++] = StringTransportType;
                    at += WriteString(buffer[at..], value.StringValue!);
                }
            }

            Span<byte> hash = stackalloc byte[MD5.HashSizeInBytes];
            MD5.HashData(buffer[..at], hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int WriteString(Span<byte> destination, string text)
    {
        int length = Encoding.UTF8.GetBytes(text, destination[4..]);
        BinaryPrimitives.WriteInt32BigEndian(destination, length);
        return 4 + length;
    }
}
