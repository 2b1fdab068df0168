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

    private EngineSecret(byte[] key) => Key = key;

    /// <summary>The HMAC key.</summary>
    public byte[] Key { get; }

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
