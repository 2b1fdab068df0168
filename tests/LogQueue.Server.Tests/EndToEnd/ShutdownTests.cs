using LogQueue.Server.Health;
using LogQueue.Server.Tests.Infrastructure;
using LogQueue.TestSupport;

namespace LogQueue.Server.Tests.EndToEnd;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Sigterm_stops_the_server_with_exit_code_0_closes_the_engine_and_releases_the_data_directory()
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
            // In this order: stop accepting, flush and close the engine, release the server's lock, say so.
            string output = server.Output;
            int stopping = output.IndexOf("Shutting down", StringComparison.Ordinal);
            int engineClosed = output.IndexOf($"Queue engine closed {dataDirectory}", StringComparison.Ordinal);
            int released = output.IndexOf($"Released the lock on data directory {dataDirectory}", StringComparison.Ordinal);
            int stopped = output.IndexOf("LogQueue server stopped", StringComparison.Ordinal);
            Assert.True(stopping >= 0 && engineClosed > stopping && released > engineClosed && stopped > released, output);
        }

        // Both locks are free again (the engine's LOCK and the server's server.lock): a new server takes the
        // directory, opens the engine and becomes ready.
        await using ServerProcess next = ServerProcess.Start(["--data-dir", dataDirectory, "--http-port", "0"]);
        Uri nextEndpoint = await next.WaitForStartedAsync();
        await HealthProbe.WaitForOkAsync(nextEndpoint, HealthEndpoints.ReadyPath, ServerProcess.StartTimeout);
        Assert.Contains("Queue engine opened", next.Output, StringComparison.Ordinal);
    }
}
