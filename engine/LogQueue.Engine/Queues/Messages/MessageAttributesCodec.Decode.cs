using System.Buffers.Binary;
using System.Text;

namespace LogQueue.Engine.Queues;

/// <summary>Decoding, with every length checked against the block.</summary>
public static partial class MessageAttributesCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The user attributes of a block (its engine section is skipped).</summary>
    /// <exception cref="LogQueueException"><see cref="ErrorCode.StorageCorrupt"/> for a malformed block or an unknown version.</exception>
    public static MessageAttributes Decode(ReadOnlySpan<byte> block) => Decode(block, out _);

    /// <summary>The user attributes and the engine attributes of a block.</summary>
    /// <exception cref="LogQueueException"><see cref="ErrorCode.StorageCorrupt"/> for a malformed block or an unknown version.</exception>
    public static MessageAttributes Decode(ReadOnlySpan<byte> block, out MessageEngineAttributes engine)
    {
        engine = default;
        if (block.IsEmpty)
        {
            return MessageAttributes.Empty;
        }

        var reader = new BlockReader(block);
        (bool hasEngineSection, int count) = reader.ReadHeader();
        var entries = new MessageAttributes.Entry[count];
        string? previous = null;
        for (int i = 0; i < count; i++)
        {
            entries[i] = reader.ReadEntry();
            if (previous is not null && string.CompareOrdinal(previous, entries[i].Name) >= 0)
            {
                throw BlockReader.Corrupt($"attribute names are not in strict ordinal order ('{previous}', then '{entries[i].Name}')");
            }

            previous = entries[i].Name;
        }

        engine = hasEngineSection ? reader.ReadEngineSection() : default;
        reader.EnsureEnd();
        return MessageAttributes.FromSortedEntries(entries);
    }

    /// <summary>Only the engine attributes of a block, without decoding the user attributes.</summary>
    /// <exception cref="LogQueueException"><see cref="ErrorCode.StorageCorrupt"/> for a malformed block or an unknown version.</exception>
    public static MessageEngineAttributes DecodeEngineAttributes(ReadOnlySpan<byte> block)
    {
        if (block.IsEmpty)
        {
            return default;
        }

        var reader = new BlockReader(block);
        (bool hasEngineSection, int count) = reader.ReadHeader();
        for (int i = 0; i < count; i++)
        {
            reader.SkipEntry();
        }

        MessageEngineAttributes engine = hasEngineSection ? reader.ReadEngineSection() : default;
        reader.EnsureEnd();
        return engine;
    }

    /// <summary>A bounds-checked cursor over a block.</summary>
    private ref struct BlockReader
    {
        private readonly ReadOnlySpan<byte> _block;

        public BlockReader(ReadOnlySpan<byte> block)
        {
            _block = block;
        }

        public int Position { get; private set; }

        public static LogQueueException Corrupt(string reason) =>
            new(ErrorCode.StorageCorrupt, $"A stored message attributes block is malformed: {reason}.");

        public (bool HasEngineSection, int Count) ReadHeader()
        {
            ReadOnlySpan<byte> header = Take(HeaderSize);
            if (header[0] != FormatVersion)
            {
                throw Corrupt($"format version {header[0]} is not one this build reads ({FormatVersion})");
            }

            if ((header[1] & ~EngineSectionFlag) != 0)
            {
                throw Corrupt($"unknown flags 0x{header[1]:x2}");
            }

            return ((header[1] & EngineSectionFlag) != 0, header[2]);
        }

        public MessageAttributes.Entry ReadEntry()
        {
            MessageAttributeDataType type = ReadEntryParts(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> custom, out ReadOnlySpan<byte> value);
            string baseName = type switch
            {
                MessageAttributeDataType.String => "String",
                MessageAttributeDataType.Number => "Number",
                _ => "Binary",
            };
            if (!Ascii.IsValid(name))
            {
                throw Corrupt("an attribute name is not ASCII");
            }

            // Strict UTF-8: the byte counts kept with the entry must match what re-encoding the strings gives.
            string dataType = custom.IsEmpty ? baseName : $"{baseName}.{DecodeUtf8(custom)}";
            MessageAttributeValue attribute = type == MessageAttributeDataType.Binary
                ? new MessageAttributeValue(dataType, null, value.ToArray())
                : new MessageAttributeValue(dataType, DecodeUtf8(value));
            int dataTypeBytes = MessageAttributeValue.BaseTypeLength + (custom.IsEmpty ? 0 : 1 + custom.Length);
            return new MessageAttributes.Entry(Encoding.ASCII.GetString(name), attribute, dataTypeBytes, value.Length);
        }

        public void SkipEntry() => _ = ReadEntryParts(out _, out _, out _);

        public MessageEngineAttributes ReadEngineSection()
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(Take(EngineHeaderSize));
            ReadOnlySpan<byte> fields = Take(length);
            QueueName? source = null;
            string? messageId = null;
            long? sent = null;
            int lastTag = 0;
            while (!fields.IsEmpty)
            {
                if (fields.Length < FieldHeaderSize)
                {
                    throw Corrupt("the engine section ends inside a field header");
                }

                byte tag = fields[0];
                int fieldLength = BinaryPrimitives.ReadUInt16LittleEndian(fields[1..]);
                if (tag <= lastTag || fields.Length - FieldHeaderSize < fieldLength)
                {
                    throw Corrupt($"engine field tag {tag} (length {fieldLength}) is out of order or runs past the section");
                }

                ReadOnlySpan<byte> field = fields.Slice(FieldHeaderSize, fieldLength);
                switch (tag)
                {
                    case DeadLetterSourceQueueTag:
                        source = QueueName.TryParse(Encoding.ASCII.GetString(field), out QueueName? name)
                            ? name
                            : throw Corrupt("the dead-letter source queue is not a valid queue name");
                        break;
                    case OriginalMessageIdTag:
                        messageId = fieldLength > 0 ? DecodeUtf8(field) : throw Corrupt("the original message id is empty");
                        break;
                    case OriginalSentTimestampTag:
                        sent = fieldLength == sizeof(long) ? BinaryPrimitives.ReadInt64LittleEndian(field) : throw Corrupt("the original sent timestamp is not 8 bytes");
                        break;
                    default:
                        break; // A field a later build added: not ours to read.
                }

                lastTag = tag;
                fields = fields[(FieldHeaderSize + fieldLength)..];
            }

            return new MessageEngineAttributes(source, messageId, sent);
        }

        public readonly void EnsureEnd()
        {
            if (Position != _block.Length)
            {
                throw Corrupt($"{_block.Length - Position} bytes follow the last field");
            }
        }

        private MessageAttributeDataType ReadEntryParts(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> custom, out ReadOnlySpan<byte> value)
        {
            ReadOnlySpan<byte> fixedPart = Take(EntryFixedSize);
            var type = (MessageAttributeDataType)fixedPart[0];
            if (type is not (MessageAttributeDataType.String or MessageAttributeDataType.Number or MessageAttributeDataType.Binary))
            {
                throw Corrupt($"unknown data type {fixedPart[0]}");
            }

            int customLength = fixedPart[1];
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[2..]);
            uint valueLength = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[4..]);
            if (nameLength is 0 or > MessageAttributes.MaxNameLength || valueLength > int.MaxValue)
            {
                throw Corrupt($"an entry has a name of {nameLength} bytes and a value of {valueLength} bytes");
            }

            name = Take(nameLength);
            custom = Take(customLength);
            value = Take((int)valueLength);
            return type;
        }

        private static string DecodeUtf8(ReadOnlySpan<byte> bytes)
        {
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException ex)
            {
                throw new LogQueueException(ErrorCode.StorageCorrupt, "A stored message attributes block is malformed: a text field is not valid UTF-8.", ex);
            }
        }

        private ReadOnlySpan<byte> Take(int length)
        {
            if (_block.Length - Position < length)
            {
                throw Corrupt($"a field of {length} bytes at offset {Position} runs past the end of the {_block.Length}-byte block");
            }

            ReadOnlySpan<byte> taken = _block.Slice(Position, length);
            Position += length;
            return taken;
        }
    }
}
