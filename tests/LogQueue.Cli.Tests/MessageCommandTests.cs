using LogQueue.Cli.Tests.Infrastructure;
using LogQueue.Protocol;

namespace LogQueue.Cli.Tests;

public sealed class MessageCommandTests : IDisposable
{
    private readonly EmbeddedLq _lq = new();

    public void Dispose() => _lq.Dispose();

    [Fact]
    public async Task Send_prints_the_message_id_and_receive_prints_id_count_receipt_sequence_ids_and_body()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();

        LqResult sent = (await _lq.RunAsync("send", "q", "hello world")).AssertSuccess();
        string id = Assert.Single(sent.Lines);
        Assert.True(MessageId.TryParse(id, out _), $"'{id}' is not a message id");

        string line = Assert.Single((await _lq.RunAsync("receive", "q")).AssertSuccess().Lines);
        string[] fields = line.Split('\t');
        Assert.Equal(7, fields.Length);
        Assert.Equal(id, fields[0]);
        Assert.Equal("1", fields[1]);
        Assert.NotEmpty(fields[2]);
        Assert.Equal("0", fields[3]);
        Assert.Equal(["", ""], fields[4..6]); // no group, no deduplication id on a standard queue
        Assert.Equal("hello world", fields[6]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Send_reads_the_body_from_stdin_when_it_is_absent_or_a_dash(bool dash)
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();
        string[] args = dash ? ["send", "q", "-"] : ["send", "q"];

        (await _lq.RunAsync(args, stdin: "from stdin\nsecond line\n")).AssertSuccess();

        var message = JsonLines.SingleObject((await _lq.RunAsync("--json", "receive", "q")).AssertSuccess());
        Assert.Equal("from stdin\nsecond line\n", message.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Send_body_file_sends_the_file_bytes_exactly_even_when_they_are_not_text()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();
        byte[] body = [0x00, 0xFF, 0xC3, 0x28, 0x0A];
        string path = Path.Combine(Path.GetDirectoryName(_lq.DataDirectory)!, "body.bin");
        await File.WriteAllBytesAsync(path, body);

        (await _lq.RunAsync("send", "q", "--body-file", path)).AssertSuccess();

        var message = JsonLines.SingleObject((await _lq.RunAsync("--json", "receive", "q")).AssertSuccess());
        Assert.Equal(Convert.ToBase64String(body), message.GetProperty("bodyBase64").GetString());
    }

    [Fact]
    public async Task Send_body_file_that_cannot_be_read_or_with_a_body_too_is_a_usage_error()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();

        LqResult missing = await _lq.RunAsync("send", "q", "--body-file", "/nonexistent/body.bin");
        LqResult both = await _lq.RunAsync("send", "q", "text", "--body-file", "/nonexistent/body.bin");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("cannot read --body-file", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("not both", both.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_with_max_returns_up_to_that_many_and_nothing_when_empty()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();
        Assert.Empty((await _lq.RunAsync("receive", "q")).AssertSuccess().Stdout);
        for (int i = 0; i < 3; i++)
        {
            await _lq.RunAsync("send", "q", $"m{i}").AssertSuccessAsync();
        }

        LqResult received = (await _lq.RunAsync("receive", "q", "--max", "10")).AssertSuccess();

        Assert.Equal(["m0", "m1", "m2"], received.Lines.Select(l => l.Split('\t')[6]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Receive_delete_deletes_what_it_printed()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();
        await _lq.RunAsync("send", "q", "once").AssertSuccessAsync();

        LqResult received = (await _lq.RunAsync("receive", "q", "--delete", "--visibility", "0")).AssertSuccess();

        Assert.Single(received.Lines);
        Assert.Empty((await _lq.RunAsync("receive", "q", "--max", "10")).AssertSuccess().Lines);
    }

    [Fact]
    public async Task Receive_without_delete_leaves_the_message_to_return()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();
        await _lq.RunAsync("send", "q", "again").AssertSuccessAsync();

        await _lq.RunAsync("receive", "q", "--visibility", "0").AssertSuccessAsync();
        var second = JsonLines.SingleObject((await _lq.RunAsync("--json", "receive", "q")).AssertSuccess());

        Assert.Equal(2, second.GetProperty("receiveCount").GetInt32());
    }

    [Fact]
    public async Task Delete_by_receipt_handle_removes_the_message()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();
        await _lq.RunAsync("send", "q", "x").AssertSuccessAsync();
        string receipt = JsonLines.SingleObject((await _lq.RunAsync("--json", "receive", "q")).AssertSuccess()).GetProperty("receiptHandle").GetString()!;

        LqResult deleted = (await _lq.RunAsync("delete", "q", receipt)).AssertSuccess();

        Assert.Empty(deleted.Stdout);
        var queue = JsonLines.SingleObject((await _lq.RunAsync("--json", "stats")).AssertSuccess()).GetProperty("queues")[0];
        Assert.Equal(0, queue.GetProperty("visible").GetInt64());
        Assert.Equal(0, queue.GetProperty("inFlight").GetInt64());
    }

    [Fact]
    public async Task Change_visibility_with_a_handle_the_engine_never_issued_is_refused()
    {
        // Each --data-dir run reopens the engine and what was in flight is not carried across a reopen, so the
        // accepted path (visible again at once) is checked against a running server in EndToEndTests.
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();

        LqResult result = await _lq.RunAsync("change-visibility", "q", "forged", "0");

        Assert.Equal(ExitCodes.RequestRefused, result.ExitCode);
        Assert.StartsWith("lq: ReceiptHandleIsInvalid (300): ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_delay_holds_the_message_back()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();

        await _lq.RunAsync("send", "q", "later", "--delay", "600").AssertSuccessAsync();

        Assert.Empty((await _lq.RunAsync("receive", "q")).AssertSuccess().Lines);
    }
}
