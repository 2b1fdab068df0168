using System.Net;
using System.Text.Json;
using LogQueue.Server.Health;
using LogQueue.Server.Storage;
using LogQueue.Server.Tests.Infrastructure;
using LogQueue.TestSupport;

namespace LogQueue.Server.Tests.EndToEnd;

public sealed class ServerStartupTests
{
    [Fact]
    public async Task Server_answers_live_and_ready_and_logs_version_endpoint_and_data_directory()
    {
        using var temp = new TempDirectory("server");
        string dataDirectory = temp.Combine("not", "yet", "there");

        await using ServerProcess server = ServerProcess.Start(["--data-dir", dataDirectory, "--http-port", "0"]);
        Uri endpoint = await server.WaitForStartedAsync();

        string live = await HealthProbe.WaitForOkAsync(endpoint, HealthEndpoints.LivePath, ServerProcess.StartTimeout);
        string ready = await HealthProbe.WaitForOkAsync(endpoint, HealthEndpoints.ReadyPath, ServerProcess.StartTimeout);
        Assert.Equal("live", JsonDocument.Parse(live).RootElement.GetProperty("status").GetString());
        Assert.Equal("ready", JsonDocument.Parse(ready).RootElement.GetProperty("status").GetString());

        string started = await server.WaitForLineAsync(l => l.Contains("started;", StringComparison.Ordinal), ServerProcess.StartTimeout);
        Assert.Contains($"data directory {dataDirectory}", started, StringComparison.Ordinal);
        Assert.Contains("LogQueue server 0.1.0", started, StringComparison.Ordinal);
        Assert.Equal(IPAddress.Loopback.ToString(), endpoint.Host);
        Assert.DoesNotContain("Request starting", server.Output, StringComparison.Ordinal); // nothing per request at the default level

        // Created, locked, and the lock file names the holder for operators.
        string lockFile = Path.Combine(dataDirectory, DataDirectoryLock.FileName);
        Assert.True(File.Exists(lockFile));
        Assert.Equal(server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ReadUnlocked(lockFile).Trim());
    }

    [Fact]
    public async Task Without_a_data_directory_option_the_server_uses_data_under_the_working_directory()
    {
        using var workingDirectory = new TempDirectory("cwd");

        // Only the port is set, so that a server someone runs on the default 7151 cannot collide with the test.
        await using ServerProcess server = ServerProcess.Start(["--http-port", "0"], workingDirectory: workingDirectory.Path);
        Uri endpoint = await server.WaitForStartedAsync();
        await HealthProbe.WaitForOkAsync(endpoint, HealthEndpoints.ReadyPath, ServerProcess.StartTimeout);

        string expected = workingDirectory.Combine("data");
        Assert.Contains($"data directory {expected}", server.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(expected, DataDirectoryLock.FileName)));
    }

    [Fact]
    public void The_server_ships_next_to_the_tests_with_what_the_dotnet_host_needs()
    {
        // Without runtimeconfig.json `dotnet LogQueue.Server.dll` cannot find the ASP.NET Core framework;
        // without appsettings.json the shipped defaults would not be the ones that apply.
        Assert.True(File.Exists(ServerProcess.ServerAssemblyPath));
        Assert.True(File.Exists(Path.ChangeExtension(ServerProcess.ServerAssemblyPath, ".runtimeconfig.json")));
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
    }

    // .NET opens files for reading with a shared flock, which the server's exclusive lock refuses; cat takes none,
    // as an operator's would not.
    private static string ReadUnlocked(string path)
    {
        using var cat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        string text = cat.StandardOutput.ReadToEnd();
        Assert.True(cat.WaitForExit(TimeSpan.FromSeconds(10)));
        return text;
    }
}
