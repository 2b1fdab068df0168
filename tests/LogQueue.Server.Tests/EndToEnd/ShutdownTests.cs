using LogQueue.Server.Health;
using LogQueue.Server.Tests.Infrastructure;
using LogQueue.TestSupport;

namespace LogQueue.Server.Tests.EndToEnd;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Sigterm_stops_the_server_with_exit_code_0_and_releases_the_data_directory()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no SIGTERM to send
        }

        using var temp = new TempDirectory("sigterm");
        string dataDirectory = temp.Combine("data");

        await using (ServerProcess server = ServerProcess.Start(["--data-dir", dataDirectory, "--http-port", "0"]))
        {
            Uri endpoint = await server.WaitForStartedAsync();
            await HealthProbe.WaitForOkAsync(endpoint, HealthEndpoints.ReadyPath, ServerProcess.StartTimeout);

            await server.SendTerminateAsync();

            // The host's shutdown timeout is 10 s; an idle server stops in well under a second.
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(15)));
            Assert.Contains("Shutting down", server.Output, StringComparison.Ordinal);
            Assert.Contains($"Released the lock on data directory {dataDirectory}", server.Output, StringComparison.Ordinal);
            Assert.Contains("LogQueue server stopped", server.Output, StringComparison.Ordinal);
        }

        // The directory is free again: a new server takes it and becomes ready.
        await using ServerProcess next = ServerProcess.Start(["--data-dir", dataDirectory, "--http-port", "0"]);
        Uri nextEndpoint = await next.WaitForStartedAsync();
        await HealthProbe.WaitForOkAsync(nextEndpoint, HealthEndpoints.ReadyPath, ServerProcess.StartTimeout);
    }
}
