using System.Numerics;
using System.Text;
using LogQueue.Engine.IO;

namespace LogQueue.Engine.Tests.IO;

public class Crc32CTests
{
    // Crc32C splits inputs of at least three lanes of 2,728 bytes into three interleaved streams.
    private const int Lane = 2728;

    [Fact]
    public void Known_vectors()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute([]));
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
    }

    public static TheoryData<int> Lengths()
    {
        var lengths = new SortedSet<int>(Enumerable.Range(0, 80));
        foreach (int boundary in new[] { 3 * Lane, 6 * Lane, 9 * Lane })
        {
            for (int delta = -9; delta <= 9; delta++)
            {
                lengths.Add(boundary + delta);
            }
        }

        lengths.UnionWith([Lane, 2 * Lane, 4096, 65536, 100_003, 1 << 20]);
        return [.. lengths];
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Equals_a_bytewise_reference_for_random_data(int length)
    {
        var rng = new Random(length);
        byte[] buffer = new byte[length + 8];
        rng.NextBytes(buffer);

        // Every start alignment: the fast path reads 8-byte words from wherever the span begins.
        foreach (int start in new[] { 0, 1, 3, 7 })
        {
            ReadOnlySpan<byte> data = buffer.AsSpan(start, length);
            Assert.True(Reference(data) == Crc32C.Compute(data), $"length {length}, start {start}");
        }
    }

    [Fact]
    public void Equals_the_reference_for_many_random_lengths()
    {
        const int seed = 20260101;
        var rng = new Random(seed);
        for (int round = 0; round < 300; round++)
        {
            byte[] data = new byte[rng.Next(0, 40_000)];
            rng.NextBytes(data);
            Assert.True(Reference(data) == Crc32C.Compute(data), $"seed {seed}, round {round}, length {data.Length}");
        }
    }

    [Fact]
    public void Appending_in_pieces_equals_computing_at_once()
    {
        byte[] data = new byte[5 * 3 * Lane + 123];
        new Random(7).NextBytes(data);
        uint expected = Crc32C.Compute(data);
        foreach (int split in new[] { 0, 1, 8, 3 * Lane - 1, 3 * Lane, 3 * Lane + 5, data.Length - 1, data.Length })
        {
            uint state = Crc32C.Append(~0u, data.AsSpan(0, split));
            state = Crc32C.Append(state, data.AsSpan(split));
            Assert.True(expected == ~state, $"split at {split}");
        }
    }

    [Fact]
    public void Detects_every_single_bit_flip_in_a_lane_sized_input()
    {
        byte[] data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("LogQueue segment record ", 3 * Lane / 24 + 1)));
        uint original = Crc32C.Compute(data);
        var rng = new Random(11);
        for (int i = 0; i < 200; i++)
        {
            int position = rng.Next(data.Length);
            byte mask = (byte)(1 << rng.Next(8));
            data[position] ^= mask;
            Assert.NotEqual(original, Crc32C.Compute(data));
            data[position] ^= mask;
        }
    }

    // The definition: one byte at a time through the hardware instruction, initial value and final xor all ones.
    private static uint Reference(ReadOnlySpan<byte> data)
    {
        uint crc = ~0u;
        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
