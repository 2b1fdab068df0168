using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace LogQueue.Protocol.Codec;

/// <summary>
/// Writes the protocol's primitive types (docs/protocol.md, "Types") into an <see cref="IBufferWriter{T}"/>.
/// Little-endian integers; strings as a u16 byte count and UTF-8 (0xFFFF: null); byte strings as a u32 count
/// and the bytes. Keeps the writer's current span between calls and commits on <see cref="Flush"/>.
/// <see cref="Version"/> is the connection's negotiated protocol version, for the few shapes that differ by version.
/// </summary>
public ref struct PayloadWriter
{
    /// <summary>The u16 length that marks a null string.</summary>
    public const ushort NullStringLength = 0xFFFF;

    /// <summary>The longest string, in UTF-8 bytes.</summary>
    public const int MaxStringLength = 0xFFFE;

    // Large values are copied in pieces of at most this size so one body does not need one huge segment.
    private const int CopyChunk = 64 * 1024;

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;

    /// <summary>Creates a writer over <paramref name="output"/> for the newest protocol version.</summary>
    public PayloadWriter(IBufferWriter<byte> output)
        : this(output, ProtocolVersion.Current)
    {
    }

    /// <summary>Creates a writer over <paramref name="output"/> that encodes for protocol <paramref name="version"/>.</summary>
    public PayloadWriter(IBufferWriter<byte> output, ushort version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, ProtocolVersion.Minimum);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, ProtocolVersion.Current);
        _output = output;
        Version = version;
        _span = default;
        _buffered = 0;
        BytesCommitted = 0;
    }

    /// <summary>The protocol version being encoded.</summary>
    public ushort Version { get; }

    /// <summary>Bytes handed to the output by <see cref="Flush"/> so far.</summary>
    public long BytesCommitted { get; private set; }

    /// <summary>Bytes written, committed or not.</summary>
    public readonly long BytesWritten => BytesCommitted + _buffered;

    /// <summary>Writes an unsigned byte.</summary>
    public void WriteByte(byte value) => Reserve(1)[0] = value;

    /// <summary>Writes a little-endian u16.</summary>
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    /// <summary>Writes a little-endian i32.</summary>
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    /// <summary>Writes a little-endian u32.</summary>
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    /// <summary>Writes a little-endian i64.</summary>
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    /// <summary>Writes a boolean as one byte, 0 or 1.</summary>
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>Writes a collection count as a u16.</summary>
    public void WriteCount(int count)
    {
        if ((uint)count > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A collection on the wire holds at most {ushort.MaxValue} items.");
        }

        WriteUInt16((ushort)count);
    }

    /// <summary>Writes a non-null string.</summary>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        WriteNullableString(value);
    }

    /// <summary>Writes a string or null.</summary>
    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteUInt16(NullStringLength);
            return;
        }

        int byteCount = Encoding.UTF8.GetByteCount(value);
        if (byteCount > MaxStringLength)
        {
            throw new ArgumentException($"A string on the wire holds at most {MaxStringLength} UTF-8 bytes; this one has {byteCount}.", nameof(value));
        }

        Span<byte> span = Reserve(2 + byteCount);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)byteCount);
        Encoding.UTF8.GetBytes(value, span[2..]);
    }

    /// <summary>Writes a byte string: its u32 length, then the bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteUInt32((uint)value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes text as a byte string (u32 length, UTF-8): how String and Number attribute values travel.</summary>
    public void WriteTextAsBytes(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int byteCount = Encoding.UTF8.GetByteCount(value);
        Span<byte> span = Reserve(4 + byteCount);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)byteCount);
        Encoding.UTF8.GetBytes(value, span[4..]);
    }

    /// <summary>Writes bytes with no length in front.</summary>
    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        while (!value.IsEmpty)
        {
            int chunk = Math.Min(value.Length, CopyChunk);
            value[..chunk].CopyTo(Reserve(chunk));
            value = value[chunk..];
        }
    }

    /// <summary>Writes an optional duration as i32 milliseconds, -1 for none.</summary>
    public void WriteDuration(TimeSpan? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        double milliseconds = Math.Ceiling(value.Value.TotalMilliseconds);
        if (milliseconds < 0 || milliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A duration on the wire is 0 to 2^31-1 milliseconds.");
        }

        WriteInt32((int)milliseconds);
    }

    /// <summary>Writes a string-to-string map: a u16 count, then name and value strings.</summary>
    public void WriteStringMap(IReadOnlyDictionary<string, string>? map)
    {
        if (map is null)
        {
            WriteCount(0);
            return;
        }

        WriteCount(map.Count);
        foreach (KeyValuePair<string, string> entry in map)
        {
            WriteString(entry.Key);
            WriteString(entry.Value);
        }
    }

    /// <summary>Writes a list of strings: a u16 count, then the strings.</summary>
    public void WriteStringList(IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            WriteCount(0);
            return;
        }

        WriteCount(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            WriteString(values[i]);
        }
    }

    /// <summary>Commits the buffered bytes to the output. Call once after the last write.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            BytesCommitted += _buffered;
            _buffered = 0;
        }

        _span = default;
    }

    private Span<byte> Reserve(int size)
    {
        if (_span.Length - _buffered < size)
        {
            Flush();
            _span = _output.GetSpan(size);
        }

        Span<byte> reserved = _span.Slice(_buffered, size);
        _buffered += size;
        return reserved;
    }
}
