using System.Buffers;
using System.Text;

namespace LogQueue.Protocol.Codec;

/// <summary>
/// Reads the protocol's primitive types from a payload that may span several buffer segments. Every read
/// checks that the bytes are there; anything short, oversized or not UTF-8 throws
/// <see cref="ProtocolFormatException"/> naming what was being read. <see cref="Version"/> is the connection's
/// negotiated protocol version, for the few shapes that differ by version.
/// </summary>
public ref struct PayloadReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private SequenceReader<byte> _reader;

    /// <summary>Creates a reader over a payload of the newest protocol version.</summary>
    public PayloadReader(ReadOnlySequence<byte> payload)
        : this(payload, ProtocolVersion.Current)
    {
    }

    /// <summary>Creates a reader over a payload encoded for protocol <paramref name="version"/>.</summary>
    public PayloadReader(ReadOnlySequence<byte> payload, ushort version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, ProtocolVersion.Minimum);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, ProtocolVersion.Current);
        _reader = new SequenceReader<byte>(payload);
        Version = version;
    }

    /// <summary>The protocol version being decoded.</summary>
    public ushort Version { get; }

    /// <summary>Bytes not read yet.</summary>
    public readonly long Remaining => _reader.Remaining;

    /// <summary>Reads an unsigned byte.</summary>
    public byte ReadByte() => _reader.TryRead(out byte value) ? value : throw Truncated("a u8");

    /// <summary>Reads a little-endian u16.</summary>
    public ushort ReadUInt16() => _reader.TryReadLittleEndian(out short value) ? unchecked((ushort)value) : throw Truncated("a u16");

    /// <summary>Reads a little-endian i32.</summary>
    public int ReadInt32() => _reader.TryReadLittleEndian(out int value) ? value : throw Truncated("an i32");

    /// <summary>Reads a little-endian u32.</summary>
    public uint ReadUInt32() => _reader.TryReadLittleEndian(out int value) ? unchecked((uint)value) : throw Truncated("a u32");

    /// <summary>Reads a little-endian i64.</summary>
    public long ReadInt64() => _reader.TryReadLittleEndian(out long value) ? value : throw Truncated("an i64");

    /// <summary>Reads a boolean byte; anything but 0 or 1 is malformed.</summary>
    public bool ReadBoolean() => ReadByte() switch
    {
        0 => false,
        1 => true,
        byte other => throw new ProtocolFormatException($"A boolean must be 0 or 1, not {other}."),
    };

    /// <summary>Reads a u16 collection count, refusing one that cannot fit in what is left (each item takes at least <paramref name="minimumItemSize"/> bytes).</summary>
    public int ReadCount(int minimumItemSize)
    {
        int count = ReadUInt16();
        if ((long)count * minimumItemSize > _reader.Remaining)
        {
            throw new ProtocolFormatException($"A count of {count} items cannot fit in the {_reader.Remaining} bytes left.");
        }

        return count;
    }

    /// <summary>Reads a string that must not be null.</summary>
    public string ReadString() => ReadNullableString() ?? throw new ProtocolFormatException("A required string is null.");

    /// <summary>Reads a string or null.</summary>
    public string? ReadNullableString()
    {
        ushort length = ReadUInt16();
        if (length == PayloadWriter.NullStringLength)
        {
            return null;
        }

        if (length == 0)
        {
            return string.Empty;
        }

        if (_reader.Remaining < length)
        {
            throw Truncated($"a string of {length} bytes");
        }

        try
        {
            ReadOnlySpan<byte> unread = _reader.UnreadSpan;
            string value;
            if (unread.Length >= length)
            {
                value = StrictUtf8.GetString(unread[..length]);
            }
            else
            {
                // A string split across segments is rare (only at a segment edge); copy it whole to decode it.
                byte[] copy = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    _reader.TryCopyTo(copy.AsSpan(0, length));
                    value = StrictUtf8.GetString(copy, 0, length);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(copy);
                }
            }

            _reader.Advance(length);
            return value;
        }
        catch (DecoderFallbackException ex)
        {
            throw new ProtocolFormatException("A string is not valid UTF-8.", ex);
        }
    }

    /// <summary>Reads a byte string as a slice of the payload (no copy).</summary>
    public ReadOnlySequence<byte> ReadBytes()
    {
        uint length = ReadUInt32();
        if (_reader.Remaining < length)
        {
            throw Truncated($"a byte string of {length} bytes");
        }

        ReadOnlySequence<byte> value = _reader.UnreadSequence.Slice(0, length);
        _reader.Advance(length);
        return value;
    }

    /// <summary>
    /// Reads a byte string as memory: a slice of the payload when it lies in one segment (always so for a
    /// payload decoded from one contiguous buffer), else a copy.
    /// </summary>
    public ReadOnlyMemory<byte> ReadBytesAsMemory()
    {
        ReadOnlySequence<byte> bytes = ReadBytes();
        return bytes.IsSingleSegment ? bytes.First : bytes.ToArray();
    }

    /// <summary>Reads an optional duration: i32 milliseconds, -1 for none.</summary>
    public TimeSpan? ReadDuration()
    {
        int milliseconds = ReadInt32();
        return milliseconds switch
        {
            -1 => null,
            < 0 => throw new ProtocolFormatException($"A duration of {milliseconds} ms is negative; -1 means none."),
            _ => TimeSpan.FromMilliseconds(milliseconds),
        };
    }

    /// <summary>Reads a string-to-string map.</summary>
    public Dictionary<string, string> ReadStringMap()
    {
        int count = ReadCount(minimumItemSize: 4);
        var map = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = ReadString();
            string value = ReadString();
            if (!map.TryAdd(name, value))
            {
                throw new ProtocolFormatException($"The map names '{name}' twice.");
            }
        }

        return map;
    }

    /// <summary>Reads a list of strings.</summary>
    public string[] ReadStringList()
    {
        int count = ReadCount(minimumItemSize: 2);
        if (count == 0)
        {
            return [];
        }

        string[] values = new string[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = ReadString();
        }

        return values;
    }

    /// <summary>Checks that the whole payload was read: trailing bytes are malformed.</summary>
    public readonly void EnsureEnd()
    {
        if (_reader.Remaining != 0)
        {
            throw new ProtocolFormatException($"The payload has {_reader.Remaining} bytes after its last field.");
        }
    }

    private readonly ProtocolFormatException Truncated(string what) =>
        new($"The payload ends where {what} was expected (offset {_reader.Consumed}).");
}
