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
        { ["--durability", "sometimes"], ExitCodes.InvalidConfiguration, "LogQueue:Durability (--durability, LOGQUEUE__Durability) must be always, interval or none; got 'sometimes'" },
        { ["--port", "70000"], ExitCodes.InvalidConfiguration, "LogQueue:Port (--port, LOGQUEUE__Port) must be between 0 and 65535" },
        { ["--flush-interval-ms", "0"], ExitCodes.InvalidConfiguration, "LogQueue:FlushIntervalMs (--flush-interval-ms, LOGQUEUE__FlushIntervalMs) must be between 1 and 60000" },
        { ["--LogQueue:MaxBatchSize", "20000"], ExitCodes.InvalidConfiguration, "LogQueue:MaxBatchSize (LOGQUEUE__MaxBatchSize) must be between 1 and 10000" },
        { ["--LogQueue:MaxFrameLength", "1000"], ExitCodes.InvalidConfiguration, "LogQueue:MaxFrameLength (LOGQUEUE__MaxFrameLength) must be between 65536 and 268435456" },
        { ["--LogQueue:MaxMessageSize", "100"], ExitCodes.InvalidConfiguration, "LogQueue:MaxMessageSize (LOGQUEUE__MaxMessageSize) must be between 1024 and 16777216" },
        { ["--LogQueue:IdleTimeoutMs", "-5"], ExitCodes.InvalidConfiguration, "LogQueue:IdleTimeoutMs (LOGQUEUE__IdleTimeoutMs) must be at least 0" },
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
        Assert.Contains($"Cannot listen on 127.0.0.1 port {port} (HTTP, --http-port)", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_protocol_port_in_use_stops_startup_like_a_busy_HTTP_port_and_releases_the_directory()
    {
        using var temp = new TempDirectory("busyproto");
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupant.Listen();
        int port = ((IPEndPoint)occupant.LocalEndPoint!).Port;
        string dataDirectory = temp.Combine("data");

        await using (ServerProcess server = ServerProcess.Start(["--data-dir", dataDirectory, "--http-port", "0", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            Assert.Equal(ExitCodes.CannotListen, await server.WaitForExitAsync(ServerProcess.StartTimeout));
            Assert.Contains($"Cannot listen on 127.0.0.1 port {port} (binary protocol, --port)", server.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("started;", server.Output, StringComparison.Ordinal);
        }

        // The engine it had opened was closed and both locks released: the next server starts on the directory.
        await using ServerProcess next = ServerProcess.Start(["--data-dir", dataDirectory, "--http-port", "0"]);
        Uri endpoint = await next.WaitForStartedAsync();
        await HealthProbe.WaitForOkAsync(endpoint, HealthEndpoints.ReadyPath, ServerProcess.StartTimeout);
    }

    [Fact]
    public async Task LOGQUEUE_environment_variables_set_the_protocol_port_and_durability()
    {
        using var temp = new TempDirectory("envproto");
        int port = FreeTcpPort.Next();

        await using ServerProcess server = ServerProcess.Start(["--data-dir", temp.Combine("data"), "--http-port", "0"], new Dictionary<string, string>
        {
            ["LOGQUEUE__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LOGQUEUE__Durability"] = "NONE",
        });
        await server.WaitForStartedAsync();

        Assert.Equal(port, server.ProtocolEndPoint!.Port);
        Assert.Contains("; durability none", server.Output, StringComparison.Ordinal);
    }
}
