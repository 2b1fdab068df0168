using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace LogQueue.Engine.Queues;

/// <summary>
/// Encodes a message's attributes into the opaque attributes block the segment log stores with each record
/// (docs/storage.md, §4), and decodes it when the message is handed out. Format version 1, little-endian:
/// <code>
/// An empty set with no engine attributes is encoded as nothing: a block of 0 bytes. Otherwise:
///
/// Block
///   0   u8    version              1
///   1   u8    flags                bit 0: an engine section follows the attributes; other bits 0
///   2   u8    n                    number of user attributes (0..10)
///   3   ...   n attribute entries, in ascending ordinal order of name
///   ...       engine section, when flag bit 0 is set
///
/// Attribute entry (8-byte fixed part, then the variable part)
///   0   u8    base type            1 String, 2 Number, 3 Binary (MessageAttributeDataType)
///   1   u8    c                    bytes of the custom type, the part after "String." etc. (0 = none, up to 249)
///   2   u16   k                    bytes of the name (1..256)
///   4   u32   v                    bytes of the value
///   8   k     name                 ASCII
///   8+k c     custom type          UTF-8
///   8+k+c v   value                String and Number: UTF-8 text; Binary: the bytes
///
/// Engine section (MessageEngineAttributes; never set by a user)
///   0   u16   s                    bytes of the fields that follow
///   2   s     fields, each: u8 tag, u16 length L, L bytes of value; ascending tags, each at most once.
///             A reader skips tags it does not know, so fields can be added without a new version.
///             tag 1  dead-letter source queue name   ASCII, 1..80 bytes
///             tag 2  original message id             UTF-8, 1..1024 bytes
///             tag 3  original sent timestamp         i64 Unix milliseconds, L = 8
/// </code>
/// Example: one attribute <c>a</c> = String <c>hi</c>, no engine section, is the 13 bytes
/// <c>01 00 01 | 01 00 01 00 02 00 00 00 | 61 | 68 69</c>.
/// </summary>
/// <remarks>
/// Encoding allocates nothing: <see cref="GetEncodedLength"/> adds up the sizes
/// <see cref="MessageAttributes.Create"/> measured, and strings are encoded straight into the destination.
/// Decoding trusts the block to have been written by this codec (the log checks its CRC) but still checks every
/// length against the block, reporting <see cref="ErrorCode.StorageCorrupt"/> rather than reading out of bounds.
/// </remarks>
public static partial class MessageAttributesCodec
{
    /// <summary>The format version this build writes and reads.</summary>
    public const byte FormatVersion = 1;

    private const int HeaderSize = 3;
    private const int EntryFixedSize = 8;
    private const int EngineHeaderSize = 2;
    private const int FieldHeaderSize = 3;
    private const byte EngineSectionFlag = 0x01;

    private const byte DeadLetterSourceQueueTag = 1;
    private const byte OriginalMessageIdTag = 2;
    private const byte OriginalSentTimestampTag = 3;

    /// <summary>The bytes <see cref="Encode(MessageAttributes, in MessageEngineAttributes, Span{byte})"/> writes for these attributes.</summary>
    public static int GetEncodedLength(MessageAttributes attributes, in MessageEngineAttributes engine = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Count == 0 && engine.IsEmpty)
        {
            return 0;
        }

        long length = HeaderSize + UserEntriesLength(attributes) + EngineSectionLength(engine);
        return length <= int.MaxValue
            ? (int)length
            : throw new LogQueueException(ErrorCode.MessageTooLong, $"The message attributes would take {length} bytes encoded, more than a record can hold.");
    }

    /// <summary>Encodes into <paramref name="destination"/>, which must hold <see cref="GetEncodedLength"/> bytes; returns the bytes written.</summary>
    public static int Encode(MessageAttributes attributes, in MessageEngineAttributes engine, Span<byte> destination)
    {
        int length = GetEncodedLength(attributes, engine);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the attributes need {length}.", nameof(destination));
        }

        if (length == 0)
        {
            return 0;
        }

        destination[0] = FormatVersion;
        destination[1] = engine.IsEmpty ? (byte)0 : EngineSectionFlag;
        destination[2] = (byte)attributes.Count;
        int at = HeaderSize;
        foreach (MessageAttributes.Entry entry in attributes.Entries)
        {
            at += WriteEntry(entry, destination[at..]);
        }

        if (!engine.IsEmpty)
        {
            at += WriteEngineSection(engine, destination[at..]);
        }

        return at;
    }

    /// <summary>Encodes into <paramref name="writer"/>; returns the bytes written.</summary>
    public static int Encode(MessageAttributes attributes, in MessageEngineAttributes engine, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int length = GetEncodedLength(attributes, engine);
        if (length > 0)
        {
            Encode(attributes, engine, writer.GetSpan(length));
            writer.Advance(length);
        }

        return length;
    }

    /// <summary>Encodes to a new array (empty for no attributes); for callers that keep the block.</summary>
    public static byte[] Encode(MessageAttributes attributes, in MessageEngineAttributes engine = default)
    {
        int length = GetEncodedLength(attributes, engine);
        if (length == 0)
        {
            return [];
        }

        byte[] block = new byte[length];
        Encode(attributes, engine, block);
        return block;
    }

    /// <summary>
    /// Writes <paramref name="block"/> with its engine section replaced by <paramref name="engine"/> (removed when
    /// empty), copying the user attributes byte for byte; returns the bytes written. This is how a redrive marks a
    /// dead letter without decoding what the sender attached.
    /// </summary>
    /// <exception cref="LogQueueException"><see cref="ErrorCode.StorageCorrupt"/> for a malformed block or an unknown version.</exception>
    public static int ReplaceEngineAttributes(ReadOnlySpan<byte> block, in MessageEngineAttributes engine, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int count = 0;
        int entriesEnd = HeaderSize;
        if (!block.IsEmpty)
        {
            var reader = new BlockReader(block);
            (bool hasEngineSection, count) = reader.ReadHeader();
            for (int i = 0; i < count; i++)
            {
                reader.SkipEntry();
            }

            entriesEnd = reader.Position;
            if (hasEngineSection)
            {
                _ = reader.ReadEngineSection();
            }

            reader.EnsureEnd();
        }

        if (count == 0 && engine.IsEmpty)
        {
            return 0;
        }

        int length = entriesEnd + EngineSectionLength(engine);
        Span<byte> destination = writer.GetSpan(length);
        destination[0] = FormatVersion;
        destination[1] = engine.IsEmpty ? (byte)0 : EngineSectionFlag;
        destination[2] = (byte)count;
        if (count > 0)
        {
            block[HeaderSize..entriesEnd].CopyTo(destination[HeaderSize..]);
        }

        if (!engine.IsEmpty)
        {
            WriteEngineSection(engine, destination[entriesEnd..]);
        }

        writer.Advance(length);
        return length;
    }

    private static long UserEntriesLength(MessageAttributes attributes)
    {
        long length = 0;
        foreach (MessageAttributes.Entry entry in attributes.Entries)
        {
            length += EntryFixedSize + entry.Name.Length + entry.CustomTypeByteCount + (long)entry.ValueByteCount;
        }

        return length;
    }

    private static int EngineSectionLength(in MessageEngineAttributes engine)
    {
        if (engine.IsEmpty)
        {
            return 0;
        }

        int length = EngineHeaderSize;
        if (engine.DeadLetterSourceQueue is { } source)
        {
            length += FieldHeaderSize + source.Value.Length;
        }

        if (engine.OriginalMessageId is { } messageId)
        {
            int bytes = Encoding.UTF8.GetByteCount(messageId);
            if (bytes is 0 or > MessageEngineAttributes.MaxMessageIdBytes)
            {
                throw new ArgumentException($"An original message id has 1 to {MessageEngineAttributes.MaxMessageIdBytes} UTF-8 bytes; this one has {bytes}.", nameof(engine));
            }

            length += FieldHeaderSize + bytes;
        }

        if (engine.OriginalSentTimestamp is not null)
        {
            length += FieldHeaderSize + sizeof(long);
        }

        return length;
    }

    private static int WriteEntry(MessageAttributes.Entry entry, Span<byte> destination)
    {
        MessageAttributeValue value = entry.Value;
        int customBytes = entry.CustomTypeByteCount;
        destination[0] = (byte)value.BaseType;
        destination[1] = (byte)customBytes;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], (ushort)entry.Name.Length);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], entry.ValueByteCount);
        int at = EntryFixedSize;
        at += Encoding.ASCII.GetBytes(entry.Name, destination[at..]);
        if (customBytes > 0)
        {
            at += Encoding.UTF8.GetBytes(value.DataType.AsSpan(MessageAttributeValue.BaseTypeLength + 1), destination[at..]);
        }

        if (value.BaseType == MessageAttributeDataType.Binary)
        {
            value.BinaryValue.Span.CopyTo(destination[at..]);
            at += value.BinaryValue.Length;
        }
        else
        {
            at += Encoding.UTF8.GetBytes(value.StringValue, destination[at..]);
        }

        return at;
    }

    private static int WriteEngineSection(in MessageEngineAttributes engine, Span<byte> destination)
    {
        int at = EngineHeaderSize;
        if (engine.DeadLetterSourceQueue is { } source)
        {
            at += WriteFieldHeader(destination[at..], DeadLetterSourceQueueTag, source.Value.Length);
            at += Encoding.ASCII.GetBytes(source.Value, destination[at..]);
        }

        if (engine.OriginalMessageId is { } messageId)
        {
            int bytes = Encoding.UTF8.GetBytes(messageId, destination[(at + FieldHeaderSize)..]);
            at += WriteFieldHeader(destination[at..], OriginalMessageIdTag, bytes) + bytes;
        }

        if (engine.OriginalSentTimestamp is { } sent)
        {
            at += WriteFieldHeader(destination[at..], OriginalSentTimestampTag, sizeof(long));
            BinaryPrimitives.WriteInt64LittleEndian(destination[at..], sent);
            at += sizeof(long);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)(at - EngineHeaderSize));
        return at;
    }

    private static int WriteFieldHeader(Span<byte> destination, byte tag, int length)
    {
        destination[0] = tag;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[1..], (ushort)length);
        return FieldHeaderSize;
    }
}
