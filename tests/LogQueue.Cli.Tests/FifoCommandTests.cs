using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LogQueue.Cli.Tests.Infrastructure;

namespace LogQueue.Cli.Tests;

/// <summary><c>lq</c> on FIFO queues: the attributes, <c>send --group-id --dedup-id</c>, <c>receive --attempt-id</c>, and what the output shows.</summary>
public sealed class FifoCommandTests : IDisposable
{
    private readonly EmbeddedLq _lq = new();

    public void Dispose() => _lq.Dispose();

    [Fact]
    public async Task Create_queue_takes_the_fifo_attributes_and_get_attributes_shows_them()
    {
        LqResult created = await _lq.RunAsync(
            "create-queue", "orders.fifo",
            "-a", "FifoQueue=true",
            "-a", "ContentBasedDeduplication=true",
            "-a", "DeduplicationScope=messageGroup",
            "-a", "FifoThroughputLimit=perMessageGroupId");
        Assert.Equal(["orders.fifo"], created.AssertSuccess().Lines);

        string[] attributes = (await _lq.RunAsync("get-attributes", "orders.fifo")).AssertSuccess().Lines;
        Assert.Contains("FifoQueue=true", attributes);
        Assert.Contains("ContentBasedDeduplication=true", attributes);
        Assert.Contains("DeduplicationScope=messageGroup", attributes);
        Assert.Contains("FifoThroughputLimit=perMessageGroupId", attributes);

        await _lq.RunAsync("set-attributes", "orders.fifo", "FifoThroughputLimit=perQueue").AssertSuccessAsync();
        Assert.Contains("FifoThroughputLimit=perQueue", (await _lq.RunAsync("get-attributes", "orders.fifo", "--name", "FifoThroughputLimit")).AssertSuccess().Lines);
    }

    [Fact]
    public async Task Receive_shows_the_sequence_group_and_deduplication_id_in_text_and_json()
    {
        await _lq.RunAsync("create-queue", "o.fifo", "-a", "FifoQueue=true").AssertSuccessAsync();
        JsonElement sent = JsonLines.SingleObject((await _lq.RunAsync("--json", "send", "o.fifo", "first", "--group-id", "g1", "--dedup-id", "d1")).AssertSuccess());
        await _lq.RunAsync("send", "o.fifo", "second", "--group", "g1", "--dedup-id", "d2").AssertSuccessAsync();

        string[] fields = Assert.Single((await _lq.RunAsync("receive", "o.fifo", "--visibility", "0")).AssertSuccess().Lines).Split('\t');
        Assert.Equal(sent.GetProperty("sequenceNumber").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), fields[3]);
        Assert.Equal(["g1", "d1", "first"], fields[4..]);

        JsonElement message = JsonLines.SingleObject((await _lq.RunAsync("--json", "receive", "o.fifo", "--visibility", "0")).AssertSuccess());
        Assert.Equal(sent.GetProperty("messageId").GetString(), message.GetProperty("messageId").GetString());
        Assert.Equal(sent.GetProperty("sequenceNumber").GetInt64(), message.GetProperty("sequenceNumber").GetInt64());
        Assert.Equal("g1", message.GetProperty("messageGroupId").GetString());
        Assert.Equal("d1", message.GetProperty("messageDeduplicationId").GetString());
    }

    [Fact]
    public async Task Content_based_deduplication_shows_the_body_hash_as_the_deduplication_id()
    {
        await _lq.RunAsync("create-queue", "c.fifo", "-a", "FifoQueue=true", "-a", "ContentBasedDeduplication=true").AssertSuccessAsync();
        await _lq.RunAsync("send", "c.fifo", "payload", "--group-id", "g1").AssertSuccessAsync();

        JsonElement message = JsonLines.SingleObject((await _lq.RunAsync("--json", "receive", "c.fifo")).AssertSuccess());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("payload"))), message.GetProperty("messageDeduplicationId").GetString());
    }

    [Fact]
    public async Task A_standard_queue_message_with_a_group_shows_it_and_no_deduplication_id()
    {
        await _lq.RunAsync("create-queue", "fair").AssertSuccessAsync();
        await _lq.RunAsync("send", "fair", "x", "--group-id", "tenant-1").AssertSuccessAsync();

        JsonElement message = JsonLines.SingleObject((await _lq.RunAsync("--json", "receive", "fair")).AssertSuccess());
        Assert.Equal("tenant-1", message.GetProperty("messageGroupId").GetString());
        Assert.False(message.TryGetProperty("messageDeduplicationId", out _));
    }

    [Theory]
    [InlineData("MissingParameter (", "send", "o.fifo", "x", "--dedup-id", "d1")]
    [InlineData("InvalidParameterValue (", "send", "o.fifo", "x", "--group-id", "g1", "--dedup-id", "d1", "--delay", "5")]
    [InlineData("InvalidParameterValue (", "send", "o.fifo", "x", "--group-id", "g1")]
    [InlineData("InvalidParameterValue (", "send", "standard", "x", "--dedup-id", "d1")]
    [InlineData("InvalidParameterValue (", "send", "o.fifo", "x", "--group-id", "not allowed!\u00e9", "--dedup-id", "d1")]
    public async Task A_send_that_breaks_the_fifo_rules_exits_1_with_the_engines_code(string expected, params string[] args)
    {
        await _lq.RunAsync("create-queue", "o.fifo", "-a", "FifoQueue=true").AssertSuccessAsync();
        await _lq.RunAsync("create-queue", "standard").AssertSuccessAsync();

        LqResult result = await _lq.RunAsync(args);

        Assert.Equal(ExitCodes.RequestRefused, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.StartsWith("lq: " + expected, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_takes_an_attempt_id_and_the_option_needs_a_value()
    {
        await _lq.RunAsync("create-queue", "a.fifo", "-a", "FifoQueue=true").AssertSuccessAsync();
        await _lq.RunAsync("send", "a.fifo", "x", "--group-id", "g1", "--dedup-id", "d1").AssertSuccessAsync();

        string line = Assert.Single((await _lq.RunAsync("receive", "a.fifo", "--attempt-id", "attempt-1")).AssertSuccess().Lines);
        Assert.EndsWith("\tg1\td1\tx", line, StringComparison.Ordinal);

        LqResult usage = await _lq.RunAsync("receive", "a.fifo", "--attempt-id");
        Assert.Equal(ExitCodes.Usage, usage.ExitCode);
    }
}
