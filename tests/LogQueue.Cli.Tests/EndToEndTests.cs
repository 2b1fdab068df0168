using System.Globalization;
using System.Text.Json;
using LogQueue.Cli.Tests.Infrastructure;
using LogQueue.TestSupport;

namespace LogQueue.Cli.Tests;

/// <summary>The real <c>lq</c> process against a real server process, over TCP.</summary>
[Trait("Category", "Slow")]
public sealed class EndToEndTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new("lq-e2e");
    private ServerProcess? _server;
    private string _endpoint = string.Empty;

    public async Task InitializeAsync()
    {
        _server = ServerProcess.Start(["--data-dir", _directory.Combine("data"), "--bind", "127.0.0.1", "--http-port", "0"]);
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
    public async Task Create_send_receive_delete_list_and_stats_over_the_wire()
    {
        Assert.Equal(["jobs"], (await LqAsync("create-queue", "jobs")).Lines);
        string id = Assert.Single((await LqAsync(["send", "jobs", "--attribute", "n=Number:5"], stdin: "from a pipe")).Lines);

        JsonElement message = JsonLines.SingleObject(await LqAsync("--json", "receive", "jobs", "--wait", "1"));
        Assert.Equal(id, message.GetProperty("messageId").GetString());
        Assert.Equal("from a pipe", message.GetProperty("body").GetString());
        Assert.Equal("5", message.GetProperty("attributes").GetProperty("n").GetProperty("stringValue").GetString());
        string receipt = message.GetProperty("receiptHandle").GetString()!;

        Assert.Empty((await LqAsync("receive", "jobs")).Lines); // in flight: invisible to others
        await LqAsync("change-visibility", "jobs", receipt, "0");
        string again = Assert.Single((await LqAsync("receive", "jobs")).Lines);
        Assert.Equal("2", again.Split('\t')[1]);

        await LqAsync("delete", "jobs", again.Split('\t')[2]);

        Assert.Equal(["jobs"], (await LqAsync("list-queues")).Lines);
        JsonElement stats = JsonLines.SingleObject(await LqAsync("--json", "stats"));
        JsonElement queue = Assert.Single(stats.GetProperty("queues").EnumerateArray());
        Assert.Equal(0, queue.GetProperty("visible").GetInt64() + queue.GetProperty("inFlight").GetInt64());
        Assert.StartsWith("pong in ", Assert.Single((await LqAsync("ping")).Lines), StringComparison.Ordinal);
    }

    /// <summary>The retry half needs the engine's receive attempt ids.</summary>
    [Fact]
    public async Task A_fifo_message_travels_with_its_ids_and_a_receive_retried_with_its_attempt_id_gets_the_same_receipt()
    {
        await LqAsync("create-queue", "jobs.fifo", "-a", "FifoQueue=true");
        await LqAsync("send", "jobs.fifo", "first", "--group-id", "g1", "--dedup-id", "d1");
        await LqAsync("send", "jobs.fifo", "second", "--group-id", "g1", "--dedup-id", "d2");

        string[] first = Assert.Single((await LqAsync("receive", "jobs.fifo", "--attempt-id", "try-1", "--visibility", "60")).Lines).Split('\t');
        Assert.Equal(["g1", "d1", "first"], first[4..]);

        // The same attempt id again, as a client would after losing the answer: the same message and receipt handle.
        string[] retried = Assert.Single((await LqAsync("receive", "jobs.fifo", "--attempt-id", "try-1", "--visibility", "60")).Lines).Split('\t');
        Assert.Equal(first, retried);
    }

    [Fact]
    public async Task An_unknown_queue_exits_1_and_an_unreachable_server_exits_3()
    {
        LqResult refused = await LqProcess.RunAsync(["--server", _endpoint, "receive", "nope"]);
        Assert.Equal(ExitCodes.RequestRefused, refused.ExitCode);
        Assert.StartsWith("lq: QueueDoesNotExist (200): ", refused.Stderr, StringComparison.Ordinal);

        int closedPort = FreeTcpPort.Next();
        LqResult unreachable = await LqProcess.RunAsync(["--server", "127.0.0.1:" + closedPort.ToString(CultureInfo.InvariantCulture), "--timeout", "5", "list-queues"]);
        Assert.Equal(ExitCodes.Unavailable, unreachable.ExitCode);
        Assert.StartsWith("lq: ", unreachable.Stderr, StringComparison.Ordinal);
    }

    private Task<LqResult> LqAsync(params string[] args) => LqAsync(args, stdin: string.Empty);

    private async Task<LqResult> LqAsync(string[] args, string stdin) =>
        (await LqProcess.RunAsync(["--server", _endpoint, .. args], stdin)).AssertSuccess();
}
