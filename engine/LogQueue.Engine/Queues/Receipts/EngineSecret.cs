using System.Security.Cryptography;
using LogQueue.Engine.IO;

namespace LogQueue.Engine.Queues.Receipts;

/// <summary>
/// The random key that authenticates receipt handles, one per data directory. It lives in a file that only
/// the server's user can read; handles minted before a restart stay valid because the key survives it.
/// </summary>
internal sealed class EngineSecret
{
    /// <summary>The key file's name inside the data directory.</summary>
    public const string FileName = "engine.secret";

    private const int KeyBytes = 32;

    // Labels the SipHash key derived from the secret, so that it is never the HMAC key itself.
    private static readonly byte[] SipHashKeyLabel = "LogQueue receipt handle SipHash-2-4 key"u8.ToArray();

    private EngineSecret(byte[] key)
    {
        Key = key;
        Span<byte> derived = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, SipHashKeyLabel, derived);
        SipHashKey0 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(derived);
        SipHashKey1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(derived[8..]);
    }

    /// <summary>The key file's 32 bytes: the HMAC key of version 1 receipt handles.</summary>
    public byte[] Key { get; }

    /// <summary>
    /// First half of the SipHash-2-4 key of version 2 receipt handles: bytes [0, 8) (little-endian) of
    /// HMAC-SHA256(<see cref="Key"/>, ASCII "LogQueue receipt handle SipHash-2-4 key").
    /// </summary>
    public ulong SipHashKey0 { get; }

    /// <summary>Second half of the SipHash-2-4 key: bytes [8, 16) of the same HMAC.</summary>
    public ulong SipHashKey1 { get; }

    /// <summary>Loads the key from <paramref name="dataDirectory"/>, creating it durably on first use.</summary>
    public static EngineSecret LoadOrCreate(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            byte[] stored = File.ReadAllBytes(path);
            if (stored.Length != KeyBytes)
            {
                throw new LogQueueException(ErrorCode.StorageCorrupt, $"The key file '{path}' holds {stored.Length} bytes, not {KeyBytes}; restore it from a backup, or delete it to invalidate every outstanding receipt handle.");
            }

            return new EngineSecret(stored);
        }

        byte[] key = RandomNumberGenerator.GetBytes(KeyBytes);
        string temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(key);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        NativeFile.SyncDirectory(dataDirectory);
        return new EngineSecret(key);
    }
}
