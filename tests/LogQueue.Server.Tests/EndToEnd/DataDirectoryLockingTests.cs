using LogQueue.Server.Health;
using LogQueue.Server.Hosting;
using LogQueue.Server.Tests.Infrastructure;
using LogQueue.TestSupport;

namespace LogQueue.Server.Tests.EndToEnd;

public sealed class DataDirectoryLockingTests
{
    [Fact]
    public async Task A_second_server_on_the_same_directory_exits_with_the_lock_error_while_the_first_keeps_serving()
    {
        using var temp = new TempDirectory("lock");
        string dataDirectory = temp.Combine("data");

        await using ServerProcess first = ServerProcess.Start(["--data-dir", dataDirectory, "--http-port", "0"]);
        Uri endpoint = await first.WaitForStartedAsync();
        await HealthProbe.WaitForOkAsync(endpoint, HealthEndpoints.ReadyPath, ServerProcess.StartTimeout);

        await using ServerProcess second = ServerProcess.Start(["--data-dir", dataDirectory, "--http-port", "0"]);
        int exitCode = await second.WaitForExitAsync(ServerProcess.StartTimeout);

        Assert.Equal(ExitCodes.DataDirectoryUnavailable, exitCode);
        Assert.Contains($"Data directory '{dataDirectory}' is in use: another LogQueue server holds its lock file", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("started;", second.Output, StringComparison.Ordinal);

        Assert.False(first.HasExited);
        await HealthProbe.WaitForOkAsync(endpoint, HealthEndpoints.ReadyPath, TimeSpan.FromSeconds(5));
    }
}
