using System.Net.Sockets;
using LogQueue.Server.Health;
using LogQueue.Server.Hosting;
using LogQueue.Server.Tests.Infrastructure;
using LogQueue.TestSupport;

namespace LogQueue.Server.Tests.EndToEnd;

public sealed class QueueEngineHostingTests
{
    [Fact]
    public async Task The_startup_line_names_the_protocol_endpoint_and_durability_and_the_engine_storage_exists()
    {
        using var temp = new TempDirectory("engine");
        string dataDirectory = temp.Combine("data");

        await using ServerProcess server = ServerProcess.Start(["--data-dir", dataDirectory, "--http-port", "0"]);
        Uri endpoint = await server.WaitForStartedAsync();

        string started = await server.WaitForLineAsync(l => l.Contains("started;", StringComparison.Ordinal), ServerProcess.StartTimeout);
        Assert.Matches(@"LogQueue server 0\.1\.0\S* started; protocol on 127\.0\.0\.1:\d+; HTTP on http://127\.0\.0\.1:\d+; data directory .+; durability always$", started);
        Assert.NotEqual(0, server.ProtocolEndPoint!.Port);
        Assert.NotEqual(endpoint.Port, server.ProtocolEndPoint.Port);
        Assert.Contains($"data directory {dataDirectory}; durability always", started, StringComparison.Ordinal);

        // The engine opened before the server said it started: its files are there, beside the server's lock.
        Assert.True(Directory.Exists(Path.Combine(dataDirectory, "queues")));
        Assert.True(File.Exists(Path.Combine(dataDirectory, "engine.secret")));
        Assert.True(File.Exists(Path.Combine(dataDirectory, "LOCK")));
        Assert.Contains("Queue engine opened", server.Output, StringComparison.Ordinal);
        await HealthProbe.WaitForOkAsync(endpoint, HealthEndpoints.ReadyPath, ServerProcess.StartTimeout);
    }

    [Theory]
    [InlineData("interval", "250", "durability interval (flush every 250 ms)")]
    [InlineData("None", "100", "durability none")]
    [InlineData("ALWAYS", "100", "durability always")]
    public async Task The_durability_flag_is_read_ignoring_case_and_named_in_the_startup_line(string durability, string flushIntervalMs, string expected)
    {
        using var temp = new TempDirectory("durability");

        await using ServerProcess server = ServerProcess.Start(["--data-dir", temp.Combine("data"), "--http-port", "0", "--durability", durability, "--flush-interval-ms", flushIntervalMs]);
        await server.WaitForStartedAsync();

        string started = await server.WaitForLineAsync(l => l.Contains("started;", StringComparison.Ordinal), ServerProcess.StartTimeout);
        Assert.EndsWith(expected, started, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_protocol_port_accepts_a_TCP_connection()
    {
        using var temp = new TempDirectory("tcp");

        await using ServerProcess server = ServerProcess.Start(["--data-dir", temp.Combine("data"), "--http-port", "0"]);
        await server.WaitForStartedAsync();

        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(server.ProtocolEndPoint!, timeout.Token);
        Assert.True(client.Connected);
    }

    [Fact]
    public async Task A_queues_path_that_is_a_file_stops_startup_with_the_storage_exit_code()
    {
        using var temp = new TempDirectory("queuesfile");
        string dataDirectory = temp.Combine("data");
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "queues"), "not a folder");

        await using ServerProcess server = ServerProcess.Start(["--data-dir", dataDirectory, "--http-port", "0"]);

        Assert.Equal(ExitCodes.StorageUnavailable, await server.WaitForExitAsync(ServerProcess.StartTimeout));
        Assert.Contains($"The queue engine cannot open its storage in data directory '{dataDirectory}'", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("started;", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal); // one clear line, no stack trace
    }

    [Fact]
    public async Task A_corrupt_engine_key_stops_startup_with_the_storage_exit_code_and_names_the_file()
    {
        using var temp = new TempDirectory("badsecret");
        string dataDirectory = temp.Combine("data");
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllBytesAsync(Path.Combine(dataDirectory, "engine.secret"), [1, 2, 3]);

        await using ServerProcess server = ServerProcess.Start(["--data-dir", dataDirectory, "--http-port", "0"]);

        Assert.Equal(ExitCodes.StorageUnavailable, await server.WaitForExitAsync(ServerProcess.StartTimeout));
        Assert.Contains(Path.Combine(dataDirectory, "engine.secret"), server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("started;", server.Output, StringComparison.Ordinal);

        // The server's lock was released on the way out; the engine key is left for the operator to restore.
        Assert.Contains($"Released the lock on data directory {dataDirectory}", server.Output, StringComparison.Ordinal);
        Assert.Equal(3, (await File.ReadAllBytesAsync(Path.Combine(dataDirectory, "engine.secret"))).Length);
    }
}
