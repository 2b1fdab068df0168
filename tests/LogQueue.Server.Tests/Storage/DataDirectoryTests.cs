using LogQueue.Server.Storage;
using LogQueue.TestSupport;

namespace LogQueue.Server.Tests.Storage;

public sealed class DataDirectoryTests
{
    [Fact]
    public void Open_creates_the_directory_and_takes_the_lock()
    {
        using var temp = new TempDirectory("dd");
        string path = temp.Combine("a", "b");

        using var directory = new DataDirectory(path, new CapturingLogger());
        directory.Open();

        Assert.True(directory.IsOpen);
        Assert.Equal(Path.GetFullPath(path), directory.FullPath);
        Assert.True(File.Exists(Path.Combine(path, DataDirectoryLock.FileName)));
    }

    [Fact]
    public void A_second_open_of_a_locked_directory_fails_naming_the_directory()
    {
        using var temp = new TempDirectory("dd");
        using var first = new DataDirectory(temp.Path, new CapturingLogger());
        first.Open();

        // flock belongs to the open file, not the process: a second open conflicts even from this process.
        using var second = new DataDirectory(temp.Path, new CapturingLogger());
        var error = Assert.Throws<DataDirectoryUnavailableException>(second.Open);

        Assert.Contains($"Data directory '{temp.Path}' is in use: another LogQueue server holds its lock file", error.Message, StringComparison.Ordinal);
        Assert.False(second.IsOpen);
        Assert.True(first.IsOpen);
    }

    [Fact]
    public void Close_releases_the_lock_for_the_next_server_and_says_so()
    {
        using var temp = new TempDirectory("dd");
        var logger = new CapturingLogger();
        using var first = new DataDirectory(temp.Path, logger);
        first.Open();

        first.Close();
        first.Close(); // idempotent

        using var second = new DataDirectory(temp.Path, new CapturingLogger());
        second.Open();
        Assert.True(second.IsOpen);
        Assert.Single(logger.Entries, e => e.Message == $"Released the lock on data directory {temp.Path}");
    }

    [Fact]
    public void Ready_only_while_open_and_writable()
    {
        using var temp = new TempDirectory("dd");
        using var directory = new DataDirectory(temp.Path, new CapturingLogger());

        Assert.False(directory.IsReady(out string? beforeOpen));
        Assert.Contains("is not open", beforeOpen, StringComparison.Ordinal);

        directory.Open();
        Assert.True(directory.IsReady(out _));
        Assert.DoesNotContain(Directory.EnumerateFiles(temp.Path), f => Path.GetFileName(f) != DataDirectoryLock.FileName); // probes clean up

        directory.Close();
        Assert.False(directory.IsReady(out _));
    }

    [Fact]
    public void A_path_that_cannot_be_a_directory_is_reported_clearly()
    {
        using var temp = new TempDirectory("dd");
        string file = temp.Combine("a-file");
        File.WriteAllText(file, "not a directory");

        using var directory = new DataDirectory(file, new CapturingLogger());
        var error = Assert.Throws<DataDirectoryUnavailableException>(directory.Open);

        Assert.Contains($"Cannot create data directory '{file}'", error.Message, StringComparison.Ordinal);
    }
}
