using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace LogQueue.Engine.IO;

/// <summary>
/// SHA-256 of short inputs (message bodies, for content-based deduplication) at the cost of the hashing itself.
/// <para>
/// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> goes through OpenSSL 3's EVP layer, which looks the
/// algorithm up, allocates a context and clears the error queue on every call: measured on this project's machine
/// (x64 with SHA-NI), 575-750 ns for a 128-byte body, of which the hashing is a fraction, and 17% of all CPU in a
/// FIFO send benchmark. OpenSSL's low-level <c>SHA256_Init/Update/Final</c> (deprecated in 3.0, still exported by
/// every build that keeps the deprecated API, as Debian's does) hash into a caller-owned context with the same
/// SHA-NI code: 175 ns for the same body. They are found at first use; where they are not (another OS, an OpenSSL
/// built without them), the framework's one-shot is used. Both give the same digest; a test holds them to it.
/// </para>
/// </summary>
internal static unsafe class Sha256Digest
{
    /// <summary>Bytes in a digest.</summary>
    public const int Size = 32;

    // OpenSSL's SHA256_CTX is 112 bytes on every platform it builds for (8 state words, two counters, a 64-byte block,
    // two ints); this leaves room to spare.
    private const int ContextSize = 256;

    private static readonly LowLevelApi? OpenSsl = LowLevelApi.TryLoad();

    /// <summary>Whether the low-level OpenSSL entry points are in use (otherwise the framework's one-shot).</summary>
    public static bool UsesLowLevelOpenSsl => OpenSsl is not null;

    /// <summary>Writes the SHA-256 of <paramref name="data"/> into the first <see cref="Size"/> bytes of <paramref name="digest"/>.</summary>
    public static void Compute(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        if (digest.Length < Size)
        {
            throw new ArgumentException($"The digest needs {Size} bytes.", nameof(digest));
        }

        if (OpenSsl is not { } api || !api.TryCompute(data, digest))
        {
            SHA256.HashData(data, digest);
        }
    }

    /// <summary>The framework's SHA-256, for tests that hold <see cref="Compute"/> to it.</summary>
    internal static void ComputeWithFramework(ReadOnlySpan<byte> data, Span<byte> digest) => SHA256.HashData(data, digest);

    private sealed class LowLevelApi(
        delegate* unmanaged[Cdecl]<byte*, int> init,
        delegate* unmanaged[Cdecl]<byte*, byte*, nuint, int> update,
        delegate* unmanaged[Cdecl]<byte*, byte*, int> final)
    {
        public static LowLevelApi? TryLoad()
        {
            if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libcrypto.so.3", out nint library))
            {
                return null;
            }

            return NativeLibrary.TryGetExport(library, "SHA256_Init", out nint init)
                && NativeLibrary.TryGetExport(library, "SHA256_Update", out nint update)
                && NativeLibrary.TryGetExport(library, "SHA256_Final", out nint final)
                ? new LowLevelApi(
                    (delegate* unmanaged[Cdecl]<byte*, int>)init,
                    (delegate* unmanaged[Cdecl]<byte*, byte*, nuint, int>)update,
                    (delegate* unmanaged[Cdecl]<byte*, byte*, int>)final)
                : null;
        }

        // Each returns 1 on success; a failure (which OpenSSL does not report for these) falls back to the framework.
        public bool TryCompute(ReadOnlySpan<byte> data, Span<byte> digest)
        {
            byte* context = stackalloc byte[ContextSize];
            fixed (byte* input = data)
            fixed (byte* output = digest)
            {
                return init(context) == 1 && update(context, input, (nuint)data.Length) == 1 && final(output, context) == 1;
            }
        }
    }
}
