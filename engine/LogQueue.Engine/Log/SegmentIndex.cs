using System.Collections.Concurrent;

namespace LogQueue.Engine.Log;

/// <summary>
/// Record offsets of one segment, by position from the segment's base sequence. Sequences are dense,
/// so this is the whole index: no key is stored. Offsets live in fixed chunks allocated as the segment
/// fills, so growing never copies and a reader holding an older view of the chunk table still sees
/// every offset published before it looked. Chunks go back to a process-wide free list when the segment
/// is unmapped and are reused by the next segments, so logs in steady state (segments rolling and being
/// removed) allocate nothing. (The shared ArrayPool keeps only a few arrays per size, far fewer than the
/// hundreds of chunks one segment holds.)
/// </summary>
internal sealed class SegmentIndex
{
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    // At most 16 MiB of idle chunks: about two full 64 MiB segments of small records.
    private const int MaxFreeChunks = 1024;
    private static readonly ConcurrentStack<int[]> FreeChunks = new();

    private readonly int[]?[] _chunks;
    private int _count;

    public SegmentIndex(long capacity)
    {
        // A record takes at least HeaderSize bytes, which bounds how many a segment can hold.
        long maxRecords = capacity / RecordFormat.HeaderSize + 1;
        _chunks = new int[]?[(maxRecords + ChunkSize - 1) >> ChunkShift];
    }

    /// <summary>The number of published offsets.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The offset of the record at <paramref name="position"/> (must be below <see cref="Count"/>).</summary>
    public int this[int position] => _chunks[position >> ChunkShift]![position & ChunkMask];

    /// <summary>Forgets every offset (recovery re-scanning a segment; no reader sees it yet).</summary>
    public void Reset() => Volatile.Write(ref _count, 0);

    /// <summary>Returns the chunks to the pool. Only when no reader can reach the segment any more.</summary>
    public void ReturnChunks()
    {
        for (int i = 0; i < _chunks.Length && _chunks[i] is { } chunk; i++)
        {
            if (FreeChunks.Count < MaxFreeChunks)
            {
                FreeChunks.Push(chunk);
            }

            _chunks[i] = null;
        }

        _count = 0;
    }

    /// <summary>Adds the next offset. Single writer (the log's append lock).</summary>
    public void Add(int offset)
    {
        int position = _count;
        int[] chunk = _chunks[position >> ChunkShift] ??= FreeChunks.TryPop(out int[]? free) ? free : new int[ChunkSize];
        chunk[position & ChunkMask] = offset;
        Volatile.Write(ref _count, position + 1);
    }
}
