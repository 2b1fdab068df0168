using System.Buffers;

namespace LogQueue.Protocol.Framing;

/// <summary>
/// A growable, contiguous buffer of outgoing frames on pooled arrays. Being contiguous, it lets
/// <see cref="FrameWriter"/> write a frame's header after its payload (the length is known only then) without
/// encoding the payload twice. Not thread-safe; reuse one per connection with <see cref="Clear"/>.
/// </summary>
public sealed class FrameBuffer : IBufferWriter<byte>, IDisposable
{
    private const int MinimumCapacity = 4096;
    private byte[] _buffer;
    private int _written;

    /// <summary>Creates a buffer with room for <paramref name="initialCapacity"/> bytes before it grows.</summary>
    public FrameBuffer(int initialCapacity = MinimumCapacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, MinimumCapacity));
    }

    /// <summary>Bytes written so far.</summary>
    public int WrittenCount => _written;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>Forgets what was written, keeping the memory. A buffer grown past 1 MiB returns to a small one.</summary>
    public void Clear()
    {
        _written = 0;
        if (_buffer.Length > 1 << 20)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(MinimumCapacity);
        }
    }

    /// <summary>Forgets the bytes written after <paramref name="count"/>; used to take back a frame that failed to encode.</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _written);
        _written = count;
    }

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _written)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>The already-written bytes from <paramref name="start"/>, for patching a header in place.</summary>
    internal Span<byte> WrittenFrom(int start) => _buffer.AsSpan(start, _written - start);

    /// <summary>Returns the memory to the pool.</summary>
    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Reserve(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        long wanted = Math.Max((long)_buffer.Length * 2, (long)_written + needed);
        byte[] grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(wanted, Array.MaxLength));
        _buffer.AsSpan(0, _written).CopyTo(grown);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = grown;
    }
}
