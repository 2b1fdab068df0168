using System.Net;
using System.Net.Sockets;
using LogQueue.Server.Health;
using LogQueue.Server.Hosting;
using LogQueue.Server.Tests.Infrastructure;
using LogQueue.TestSupport;

namespace LogQueue.Server.Tests.EndToEnd;

public sealed class ConfigurationTests
{
    public static TheoryData<string[], int, string> BadOptions => new()
    {
        { ["--http-port", "70000"], ExitCodes.InvalidConfiguration, "LogQueue:HttpPort (--http-port, LOGQUEUE__HttpPort) must be between 0 and 65535" },
        { ["--http-port", "abc"], ExitCodes.InvalidConfiguration, "'abc' at 'LogQueue:HttpPort'" },
        { ["--bind", "not-an-ip"], ExitCodes.InvalidConfiguration, "LogQueue:Bind (--bind, LOGQUEUE__Bind) must be an IP address" },
        { ["--data-dir", ""], ExitCodes.InvalidConfiguration, "LogQueue:DataDirectory (--data-dir, LOGQUEUE__DataDirectory) must not be empty" },
        { ["--http-prot", "7000"], ExitCodes.InvalidConfiguration, "Unknown option '--http-prot'" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Bad_options_stop_startup_with_a_message_naming_the_option(string[] args, int expectedExitCode, string expectedMessage)
    {
        using var workingDirectory = new TempDirectory("badopt");

        await using ServerProcess server = ServerProcess.Start(args, workingDirectory: workingDirectory.Path);
        int exitCode = await server.WaitForExitAsync(ServerProcess.StartTimeout);

        Assert.Equal(expectedExitCode, exitCode);
        Assert.Contains(expectedMessage, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("started;", server.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workingDirectory.Combine("data")), "a server that refused its options must not touch the disk");
    }

    [Fact]
    public async Task LOGQUEUE_environment_variables_configure_the_server()
    {
        using var temp = new TempDirectory("env");
        string dataDirectory = temp.Combine("from-env");
        int port = FreeTcpPort.Next();

        await using ServerProcess server = ServerProcess.Start([], new Dictionary<string, string>
        {
            ["LOGQUEUE__DataDirectory"] = dataDirectory,
            ["LOGQUEUE__Bind"] = "127.0.0.1",
            ["LOGQUEUE__HttpPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Uri endpoint = await server.WaitForStartedAsync();

        Assert.Equal(port, endpoint.Port);
        Assert.Contains($"data directory {dataDirectory}", server.Output, StringComparison.Ordinal);
        await HealthProbe.WaitForOkAsync(endpoint, HealthEndpoints.ReadyPath, ServerProcess.StartTimeout);
    }

    [Fact]
    public async Task The_command_line_overrides_the_environment()
    {
        using var temp = new TempDirectory("override");
        string dataDirectory = temp.Combine("from-command-line");

        await using ServerProcess server = ServerProcess.Start(["--data-dir", dataDirectory, "--http-port", "0"], new Dictionary<string, string>
        {
            ["LOGQUEUE__DataDirectory"] = temp.Combine("from-env"),
            ["LOGQUEUE__HttpPort"] = "70000", // invalid: would stop start-up if it applied
        });
        Uri endpoint = await server.WaitForStartedAsync();

        Assert.Contains($"data directory {dataDirectory}", server.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("from-env")));
        await HealthProbe.WaitForOkAsync(endpoint, HealthEndpoints.LivePath, ServerProcess.StartTimeout);
    }

    [Fact]
    public async Task A_misspelt_LOGQUEUE_key_stops_startup_instead_of_being_ignored()
    {
        using var workingDirectory = new TempDirectory("typo");

        await using ServerProcess server = ServerProcess.Start([], new Dictionary<string, string> { ["LOGQUEUE__DataDir"] = "somewhere" }, workingDirectory.Path);

        Assert.Equal(ExitCodes.InvalidConfiguration, await server.WaitForExitAsync(ServerProcess.StartTimeout));
        Assert.Contains("'DataDir'", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_stops_startup_with_a_message_naming_address_and_port()
    {
        using var temp = new TempDirectory("busy");
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupant.Listen();
        int port = ((IPEndPoint)occupant.LocalEndPoint!).Port;

        await using ServerProcess server = ServerProcess.Start(["--data-dir", temp.Combine("data"), "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Equal(ExitCodes.CannotListen, await server.WaitForExitAsync(ServerProcess.StartTimeout));
        Assert.Contains($"Cannot listen on 127.0.0.1 port {port}", server.Output, StringComparison.Ordinal);
    }
}
