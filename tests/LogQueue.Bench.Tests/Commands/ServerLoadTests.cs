using LogQueue.Bench.Load;
using LogQueue.Bench.Tests.Infrastructure;
using LogQueue.TestSupport;

namespace LogQueue.Bench.Tests.Commands;

/// <summary>Load runs against the real server process over TCP (<c>--server</c>).</summary>
[Trait("Category", "Slow")]
public sealed class ServerLoadTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new("bench-server");
    private ServerProcess? _server;
    private string _endpoint = string.Empty;

    public async Task InitializeAsync()
    {
        _server = ServerProcess.Start(["--data-dir", _directory.Combine("data"), "--bind", "127.0.0.1", "--http-port", "0", "--durability", "none"]);
        await _server.WaitForStartedAsync();
        _endpoint = _server.ProtocolEndPoint!.ToString();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_short_run_against_a_server_passes_with_nothing_lost()
    {
        string json = _directory.Combine("report.json");
        LoadInvocation run = await LoadInvocation.RunAsync(
            "--server", _endpoint, "--queue", "wire", "--producers", "4", "--consumers", "2", "--batch", "10", "--duration", "1s",
            "--warmup", "0", "--json", json);

        Assert.True(run.ExitCode == LoadCommand.Passed, $"{run}\n--- server ---\n{_server!.Output}");
        Assert.Empty(run.Error);
        Assert.Contains("LogQueue load: server " + _endpoint, run.Output, StringComparison.Ordinal);
        Assert.Contains("lost 0", run.Output, StringComparison.Ordinal);
        Assert.Contains("duplicates 0", run.Output, StringComparison.Ordinal);
        Assert.Contains("errors: none", run.Output, StringComparison.Ordinal);
        Assert.Contains("result: PASS", run.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(json));
    }

    [Fact]
    public async Task A_batch_above_the_servers_limit_is_a_usage_error()
    {
        LoadInvocation run = await LoadInvocation.RunAsync("--server", _endpoint, "--batch", "101", "--duration", "1s", "--warmup", "0");

        Assert.True(run.ExitCode == LoadCommand.Usage, run.ToString());
        Assert.StartsWith("load: --batch 101 is more than the target allows per call (100)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receive_batch_above_the_servers_limit_is_a_usage_error_naming_it()
    {
        LoadInvocation run = await LoadInvocation.RunAsync("--server", _endpoint, "--batch", "1", "--receive-batch", "101", "--duration", "1s", "--warmup", "0");

        Assert.True(run.ExitCode == LoadCommand.Usage, run.ToString());
        Assert.StartsWith("load: --receive-batch 101 is more than the target allows per call (100)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_servers_own_batch_limit_is_accepted()
    {
        LoadInvocation run = await LoadInvocation.RunAsync(
            "--server", _endpoint, "--queue", "full-batches", "--batch", "100", "--producers", "1", "--consumers", "1", "--messages", "1000", "--warmup", "0");

        Assert.True(run.ExitCode == LoadCommand.Passed, run.ToString());
    }
}
