using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LogQueue.Engine.IO;

/// <summary>
/// The few file-system calls .NET does not expose: fdatasync on a file, fsync on a directory, and
/// posix_fadvise to drop a file's cached pages.
/// fdatasync skips the inode's timestamps; segments are preallocated, so their size never changes
/// while records are written and fdatasync has no metadata left to commit.
/// </summary>
internal static partial class NativeFile
{
    // O_RDONLY opens a directory for fsync on Linux; O_DIRECTORY is left out because its value differs by architecture.
    private const int ORdOnly = 0;

    // POSIX_FADV_DONTNEED on Linux (every architecture).
    private const int FAdviseDontNeed = 4;

    /// <summary>Makes every write to <paramref name="file"/> durable, mapped writes included.</summary>
    public static void SyncData(SafeFileHandle file)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(file);
            return;
        }

        while (FDataSync(file) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != 4) // EINTR: try again.
            {
                throw new IOException($"fdatasync failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
            }
        }
    }

    /// <summary>Makes creations, renames and removals of entries in <paramref name="directory"/> durable.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int fd = Open(directory, ORdOnly);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"open of directory '{directory}' for fsync failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fsync of directory '{directory}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Drops the file's clean pages from the page cache (posix_fadvise DONTNEED), so that the next writes
    /// create the cached pages afresh. Best effort: dirty, mapped or locked pages stay; errors are ignored.
    /// </summary>
    public static void DropCachedPages(SafeFileHandle file)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = FAdvise(file, 0, 0, FAdviseDontNeed);
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int FAdvise(SafeFileHandle fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
