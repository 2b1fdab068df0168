using System.Numerics;

namespace LogQueue.Bench.Load.Runs;

/// <summary>
/// A growable set of non-negative numbers, one bit each, that several threads set at once without locks: chunks of
/// 2^16 bits are created on first use (compare-and-swap) and bits are set with an atomic OR, which also tells
/// whether the bit was set before. Sized for a producer's message counters: up to 2^28 (268 million) per set.
/// </summary>
internal sealed class ConcurrentBitSet
{
    private const int ChunkBits = 16;
    private const int WordsPerChunk = (1 << ChunkBits) / 64;
    private const int MaxChunks = 1 << 12;

    private readonly long[]?[] _chunks = new long[]?[MaxChunks];

    /// <summary>The largest number the set holds plus one.</summary>
    public const long Capacity = (long)MaxChunks << ChunkBits;

    /// <summary>Adds <paramref name="value"/>; false when it was already there.</summary>
    public bool Add(long value)
    {
        if ((ulong)value >= Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"The set holds 0 to {Capacity - 1}.");
        }

        long[] chunk = ChunkFor((int)(value >> ChunkBits));
        int bit = (int)(value & ((1 << ChunkBits) - 1));
        long mask = 1L << (bit & 63);
        return (Interlocked.Or(ref chunk[bit >> 6], mask) & mask) == 0;
    }

    /// <summary>True when <paramref name="value"/> is in the set.</summary>
    public bool Contains(long value)
    {
        if ((ulong)value >= Capacity || Volatile.Read(ref _chunks[value >> ChunkBits]) is not { } chunk)
        {
            return false;
        }

        int bit = (int)(value & ((1 << ChunkBits) - 1));
        return (Volatile.Read(ref chunk[bit >> 6]) & (1L << (bit & 63))) != 0;
    }

    /// <summary>How many numbers are in the set.</summary>
    public long Count() => CountNotIn(this, other: null);

    /// <summary>How many numbers are in this set but not in <paramref name="other"/>.</summary>
    public long CountNotIn(ConcurrentBitSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return CountNotIn(this, other);
    }

    /// <summary>The numbers in this set but not in <paramref name="other"/>, smallest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<long> ListNotIn(ConcurrentBitSet other, int limit)
    {
        ArgumentNullException.ThrowIfNull(other);
        var found = new List<long>();
        for (int c = 0; c < MaxChunks && found.Count < limit; c++)
        {
            if (Volatile.Read(ref _chunks[c]) is not { } chunk)
            {
                continue;
            }

            long[]? otherChunk = Volatile.Read(ref other._chunks[c]);
            for (int w = 0; w < WordsPerChunk && found.Count < limit; w++)
            {
                long bits = Volatile.Read(ref chunk[w]) & ~(otherChunk is null ? 0 : Volatile.Read(ref otherChunk[w]));
                while (bits != 0 && found.Count < limit)
                {
                    int b = BitOperations.TrailingZeroCount(bits);
                    found.Add(((long)c << ChunkBits) + (w * 64) + b);
                    bits &= bits - 1;
                }
            }
        }

        return found;
    }

    private static long CountNotIn(ConcurrentBitSet set, ConcurrentBitSet? other)
    {
        long count = 0;
        for (int c = 0; c < MaxChunks; c++)
        {
            if (Volatile.Read(ref set._chunks[c]) is not { } chunk)
            {
                continue;
            }

            long[]? otherChunk = other is null ? null : Volatile.Read(ref other._chunks[c]);
            for (int w = 0; w < WordsPerChunk; w++)
            {
                long bits = Volatile.Read(ref chunk[w]);
                if (otherChunk is not null)
                {
                    bits &= ~Volatile.Read(ref otherChunk[w]);
                }

                count += BitOperations.PopCount((ulong)bits);
            }
        }

        return count;
    }

    private long[] ChunkFor(int index)
    {
        long[]? chunk = Volatile.Read(ref _chunks[index]);
        if (chunk is not null)
        {
            return chunk;
        }

        long[] created = new long[WordsPerChunk];
        return Interlocked.CompareExchange(ref _chunks[index], created, null) ?? created;
    }
}
