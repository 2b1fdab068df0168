using System.Security.Cryptography;
using LogQueue.Engine.IO;

namespace LogQueue.Engine.Tests.IO;

public class Sha256DigestTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(55)] // the last length whose padding fits one block
    [InlineData(56)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(128)]
    [InlineData(1000)]
    [InlineData(1 << 20)]
    public void The_digest_is_the_frameworks_sha256(int length)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        byte[] digest = new byte[Sha256Digest.Size];

        Sha256Digest.Compute(data, digest);

        Assert.Equal(SHA256.HashData(data), digest);
    }

    [Fact]
    public void The_known_answer_of_abc_holds()
    {
        // FIPS 180-2, appendix B.1.
        byte[] digest = new byte[Sha256Digest.Size];
        Sha256Digest.Compute("abc"u8, digest);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void On_linux_the_low_level_openssl_entry_points_are_found()
    {
        // Debian's libcrypto.so.3 exports them; without them content-based deduplication would pay about 4x per send.
        Assert.Equal(OperatingSystem.IsLinux(), Sha256Digest.UsesLowLevelOpenSsl);
    }

    [Fact]
    public void Concurrent_callers_get_their_own_digests()
    {
        byte[][] inputs = [.. Enumerable.Range(0, 64).Select(i => { byte[] b = new byte[100 + i]; new Random(i).NextBytes(b); return b; })];
        byte[][] expected = [.. inputs.Select(SHA256.HashData)];

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            Span<byte> digest = stackalloc byte[Sha256Digest.Size];
            Sha256Digest.Compute(inputs[i % inputs.Length], digest);
            Assert.True(digest.SequenceEqual(expected[i % inputs.Length]));
        });
    }

    [Fact]
    public void A_digest_buffer_too_small_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Sha256Digest.Compute("abc"u8, new byte[31]));
    }
}
