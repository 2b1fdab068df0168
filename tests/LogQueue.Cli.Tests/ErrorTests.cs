using System.Net;
using System.Net.Sockets;
using LogQueue.Cli.Tests.Infrastructure;
using LogQueue.TestSupport;

namespace LogQueue.Cli.Tests;

public sealed class ErrorTests : IDisposable
{
    private readonly EmbeddedLq _lq = new();

    public void Dispose() => _lq.Dispose();

    [Fact]
    public async Task A_refused_request_exits_1_with_the_error_code_name_and_message()
    {
        LqResult result = await _lq.RunAsync("send", "missing", "x");

        Assert.Equal(ExitCodes.RequestRefused, result.ExitCode);
        Assert.Empty(result.Stdout);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lq: QueueDoesNotExist (200): ", line, StringComparison.Ordinal);
        Assert.Contains("missing", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_receipt_handle_is_refused()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();

        LqResult result = await _lq.RunAsync("delete", "q", "not-a-receipt");

        Assert.Equal(ExitCodes.RequestRefused, result.ExitCode);
        Assert.StartsWith("lq: ReceiptHandleIsInvalid (300): ", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("receive")]
    [InlineData("send")]
    [InlineData("send", "q", "x", "--attribute", "novalue")]
    [InlineData("send", "q", "x", "--attribute", "b=Binary:not base64!")]
    [InlineData("send", "q", "x", "-a", "k=1", "-a", "k=2")]
    [InlineData("send", "q", "x", "--delay", "soon")]
    [InlineData("receive", "q", "--max", "0")]
    [InlineData("receive", "q", "--wait", "-1")]
    [InlineData("list-queues", "--timeout", "0")]
    [InlineData("set-attributes", "q")]
    [InlineData("set-attributes", "q", "VisibilityTimeout")]
    [InlineData("change-visibility", "q", "receipt", "never")]
    [InlineData("start-move-task", "dlq", "--rate", "0")]
    [InlineData("list-queues", "--no-such-option")]
    public async Task Bad_usage_exits_2_with_a_message_and_touches_nothing(params string[] args)
    {
        LqResult result = await _lq.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.StartsWith("lq: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("lq --help", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_lq.DataDirectory), "a command that did not parse must not open the data directory");
    }

    [Fact]
    public async Task Help_exits_0_and_names_every_command()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await CliApplication.RunAsync(["--help"], stdout, stderr, TextReader.Null, CancellationToken.None);

        Assert.Equal(ExitCodes.Success, exitCode);
        foreach (string command in (string[])["create-queue", "delete-queue", "list-queues", "get-attributes", "set-attributes", "send", "receive", "delete", "change-visibility", "purge", "stats", "ping", "start-move-task", "list-move-tasks", "cancel-move-task"])
        {
            Assert.Contains(command, stdout.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unreachable_server_exits_3()
    {
        int port = FreeTcpPort.Next();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await CliApplication.RunAsync(["--server", $"127.0.0.1:{port}", "--timeout", "5", "list-queues"], stdout, stderr, TextReader.Null, CancellationToken.None);

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.StartsWith("lq: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_with_exit_3()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await CliApplication.RunAsync(["--server", $"127.0.0.1:{port}", "--timeout", "1", "ping"], stdout, stderr, TextReader.Null, CancellationToken.None);

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.StartsWith("lq: ", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_long_poll_exits_130()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        LqResult result = await _lq.RunAsync(["receive", "q", "--wait", "20"], stdin: string.Empty, cancellation.Token);

        Assert.Equal(ExitCodes.Cancelled, result.ExitCode);
        Assert.Equal("lq: cancelled.", result.Stderr.Trim());
    }
}
