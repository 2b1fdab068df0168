using System.Globalization;
using System.Text;

namespace LogQueue.Server.Storage;

/// <summary>
/// An exclusive, process-lifetime claim on a data directory: the lock file inside it held open with
/// <see cref="FileShare.None"/>. On Unix .NET turns that into <c>flock(LOCK_EX | LOCK_NB)</c> on the open file,
/// on Windows into a share-mode denial; either way a second server's open fails at once instead of waiting.
/// </summary>
/// <remarks>
/// <para>The kernel drops the lock when the process dies, even by <c>kill -9</c>, so a crashed server never
/// leaves a stale lock behind, unlike a PID file whose existence is the lock.</para>
/// <para>The lock file is never deleted. Deleting it on release would race with a server that has just opened
/// the old file: that server would lock an unlinked inode while a third one creates and locks a fresh file.</para>
/// <para>flock is advisory and only meaningful on a local file system; the data directory must not be on NFS.
/// Setting <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns the lock off, so do not set it for the server.</para>
/// </remarks>
internal sealed class DataDirectoryLock : IDisposable
{
    /// <summary>The lock file's name inside the data directory.</summary>
    public const string FileName = "server.lock";

    // errno EWOULDBLOCK as .NET reports it in IOException.HResult on Unix (Linux 11, macOS/BSD 35), and the
    // Win32 sharing and lock violations as HRESULTs.
    private const int LinuxWouldBlock = 11;
    private const int BsdWouldBlock = 35;
    private const int WindowsSharingViolation = unchecked((int)0x80070020);
    private const int WindowsLockViolation = unchecked((int)0x80070021);

    private readonly FileStream _file;

    private DataDirectoryLock(string directory, FileStream file)
    {
        Directory = directory;
        _file = file;
    }

    /// <summary>The full path of the locked directory.</summary>
    public string Directory { get; }

    /// <summary>The full path of the lock file.</summary>
    public string FilePath => _file.Name;

    /// <summary>
    /// Takes the lock on <paramref name="directory"/>, which must exist, and writes this process's id into the
    /// lock file for operators (<c>cat server.lock</c>). Throws <see cref="DataDirectoryUnavailableException"/>
    /// when another process holds the lock or the file cannot be opened.
    /// </summary>
    public static DataDirectoryLock Acquire(string directory)
    {
        string fullDirectory = Path.GetFullPath(directory);
        string path = Path.Combine(fullDirectory, FileName);
        FileStream file;
        try
        {
            // OpenOrCreate, not Create: the file must not be truncated before the lock is ours.
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException ex) when (IsHeldElsewhere(ex))
        {
            throw new DataDirectoryUnavailableException(
                $"Data directory '{fullDirectory}' is in use: another LogQueue server holds its lock file '{path}'. " +
                "Stop that server, or give this one another directory with --data-dir.",
                ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataDirectoryUnavailableException($"Cannot open the lock file '{path}' of data directory '{fullDirectory}': {ex.Message}", ex);
        }

        try
        {
            byte[] pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            file.SetLength(0);
            file.Write(pid);
            file.Flush();
        }
        catch (IOException ex)
        {
            file.Dispose();
            throw new DataDirectoryUnavailableException($"Cannot write the lock file '{path}' of data directory '{fullDirectory}': {ex.Message}", ex);
        }

        return new DataDirectoryLock(fullDirectory, file);
    }

    /// <summary>Releases the lock; the file stays (see remarks).</summary>
    public void Dispose() => _file.Dispose();

    private static bool IsHeldElsewhere(IOException ex) =>
        ex.GetType() == typeof(IOException)
        && ex.HResult is LinuxWouldBlock or BsdWouldBlock or WindowsSharingViolation or WindowsLockViolation;
}
