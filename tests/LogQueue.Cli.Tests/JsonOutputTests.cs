using System.Text.Json;
using LogQueue.Cli.Tests.Infrastructure;
using LogQueue.Client;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;

namespace LogQueue.Cli.Tests;

public sealed class JsonOutputTests : IDisposable
{
    private readonly EmbeddedLq _lq = new();

    public void Dispose() => _lq.Dispose();

    [Fact]
    public async Task Send_json_gives_the_message_id_and_sequence_number()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();

        JsonElement sent = JsonLines.SingleObject((await _lq.RunAsync("--json", "send", "q", "x")).AssertSuccess());

        Assert.True(MessageId.TryParse(sent.GetProperty("messageId").GetString(), out MessageId id));
        Assert.Equal(id.Sequence, sent.GetProperty("sequenceNumber").GetInt64());
    }

    [Fact]
    public async Task Received_message_json_carries_every_documented_field_and_attributes_of_each_type()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string id = (await _lq.RunAsync(
            "send", "q", "héllo",
            "--attribute", "plain=just text",
            "--attribute", "typed=String:Number:7",
            "--attribute", "count=Number:12",
            "--attribute", "precise=Number.int:3",
            "--attribute", "blob=Binary:AAEC/w==",
            "--attribute", "url=http://example.test/a=b")).AssertSuccess().Lines[0];

        JsonElement message = JsonLines.SingleObject((await _lq.RunAsync("--json", "receive", "q")).AssertSuccess());

        Assert.Equal(id, message.GetProperty("messageId").GetString());
        Assert.Equal("héllo", message.GetProperty("body").GetString());
        Assert.False(message.TryGetProperty("bodyBase64", out _));
        Assert.False(string.IsNullOrEmpty(message.GetProperty("receiptHandle").GetString()));
        Assert.Equal(1, message.GetProperty("receiveCount").GetInt32());
        Assert.InRange(message.GetProperty("sentTimestamp").GetInt64(), before - 1000, before + 60_000);
        Assert.InRange(message.GetProperty("firstReceiveTimestamp").GetInt64(), before - 1000, before + 60_000);
        Assert.True(message.GetProperty("sequenceNumber").GetInt64() >= 0);
        Assert.False(message.TryGetProperty("deadLetterSourceQueue", out _));

        JsonElement attributes = message.GetProperty("attributes");
        AssertAttribute(attributes, "plain", "String", "just text");
        AssertAttribute(attributes, "typed", "String", "Number:7");
        AssertAttribute(attributes, "count", "Number", "12");
        AssertAttribute(attributes, "precise", "Number.int", "3");
        AssertAttribute(attributes, "url", "String", "http://example.test/a=b");
        JsonElement blob = attributes.GetProperty("blob");
        Assert.Equal("Binary", blob.GetProperty("dataType").GetString());
        Assert.Equal("AAEC/w==", blob.GetProperty("binaryValue").GetString());
        Assert.False(blob.TryGetProperty("stringValue", out _));
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_also_comes_as_base64()
    {
        byte[] body = [0xff, 0xfe, 0x00, 0x41];
        await using (EmbeddedLogQueueClient client = await EmbeddedLogQueueClient.OpenAsync(_lq.DataDirectory))
        {
            await client.CreateQueueAsync("raw");
            await client.SendMessageAsync("raw", new OutgoingMessage(body));
        }

        JsonElement message = JsonLines.SingleObject((await _lq.RunAsync("--json", "receive", "raw", "--visibility", "0")).AssertSuccess());
        Assert.Equal(Convert.ToBase64String(body), message.GetProperty("bodyBase64").GetString());
        Assert.NotNull(message.GetProperty("body").GetString());

        string line = Assert.Single((await _lq.RunAsync("receive", "raw")).AssertSuccess().Lines);
        Assert.Equal("base64:" + Convert.ToBase64String(body), line.Split('\t')[6]);
    }

    [Fact]
    public async Task Stats_and_ping_json_are_single_objects()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();
        await _lq.RunAsync("send", "q", "x").AssertSuccessAsync();

        JsonElement stats = JsonLines.SingleObject((await _lq.RunAsync("--json", "stats")).AssertSuccess());
        JsonElement queue = Assert.Single(stats.GetProperty("queues").EnumerateArray());
        Assert.Equal("q", queue.GetProperty("queueName").GetString());
        Assert.Equal(1, queue.GetProperty("visible").GetInt64());
        Assert.False(string.IsNullOrEmpty(stats.GetProperty("serverVersion").GetString()));
        Assert.False(string.IsNullOrEmpty(stats.GetProperty("durability").GetString()));

        JsonElement ping = JsonLines.SingleObject((await _lq.RunAsync("--json", "ping")).AssertSuccess());
        Assert.True(ping.GetProperty("roundTripMs").GetDouble() >= 0);
        Assert.StartsWith("pong in ", Assert.Single((await _lq.RunAsync("ping")).AssertSuccess().Lines), StringComparison.Ordinal);
    }

    private static void AssertAttribute(JsonElement attributes, string name, string dataType, string stringValue)
    {
        JsonElement attribute = attributes.GetProperty(name);
        Assert.Equal(dataType, attribute.GetProperty("dataType").GetString());
        Assert.Equal(stringValue, attribute.GetProperty("stringValue").GetString());
        Assert.False(attribute.TryGetProperty("binaryValue", out _));
    }
}
