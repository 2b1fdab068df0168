using System.Text.Json;
using LogQueue.Cli.Tests.Infrastructure;

namespace LogQueue.Cli.Tests;

public sealed class QueueCommandTests : IDisposable
{
    private readonly EmbeddedLq _lq = new();

    public void Dispose() => _lq.Dispose();

    [Fact]
    public async Task Create_queue_prints_the_name_and_list_queues_shows_it()
    {
        LqResult created = (await _lq.RunAsync("create-queue", "orders")).AssertSuccess();
        Assert.Equal(["orders"], created.Lines);

        await _lq.RunAsync("create-queue", "payments").AssertSuccessAsync();
        Assert.Equal(["orders", "payments"], (await _lq.RunAsync("list-queues")).AssertSuccess().Lines);
        Assert.Equal(["payments"], (await _lq.RunAsync("list-queues", "--prefix", "pay")).AssertSuccess().Lines);
    }

    [Fact]
    public async Task List_queues_json_writes_one_object_per_queue()
    {
        await _lq.RunAsync("create-queue", "a").AssertSuccessAsync();
        await _lq.RunAsync("create-queue", "b").AssertSuccessAsync();

        IReadOnlyList<JsonElement> queues = JsonLines.Parse((await _lq.RunAsync("--json", "list-queues")).AssertSuccess());

        Assert.Equal(["a", "b"], queues.Select(q => q.GetProperty("queueName").GetString()));
    }

    [Fact]
    public async Task Create_queue_attributes_are_set_and_get_attributes_reads_them()
    {
        await _lq.RunAsync("create-queue", "jobs", "--attribute", "VisibilityTimeout=60", "-a", "DelaySeconds=5").AssertSuccessAsync();

        LqResult one = (await _lq.RunAsync("get-attributes", "jobs", "--name", "VisibilityTimeout")).AssertSuccess();
        Assert.Equal(["VisibilityTimeout=60"], one.Lines);

        LqResult all = (await _lq.RunAsync("get-attributes", "jobs")).AssertSuccess();
        Assert.Contains("DelaySeconds=5", all.Lines);
        Assert.True(all.Lines.Length > 2, all.ToString());
        Assert.Equal(all.Lines.Order(StringComparer.Ordinal), all.Lines);
    }

    [Fact]
    public async Task Set_attributes_changes_them_and_get_attributes_json_is_one_object()
    {
        await _lq.RunAsync("create-queue", "jobs").AssertSuccessAsync();

        LqResult set = (await _lq.RunAsync("set-attributes", "jobs", "VisibilityTimeout=45", "MaximumMessageSize=2048")).AssertSuccess();
        Assert.Empty(set.Stdout);

        JsonElement attributes = JsonLines.SingleObject((await _lq.RunAsync("--json", "get-attributes", "jobs", "-n", "VisibilityTimeout", "-n", "MaximumMessageSize")).AssertSuccess());
        Assert.Equal("45", attributes.GetProperty("VisibilityTimeout").GetString());
        Assert.Equal("2048", attributes.GetProperty("MaximumMessageSize").GetString());
    }

    [Fact]
    public async Task Delete_queue_removes_it()
    {
        await _lq.RunAsync("create-queue", "gone").AssertSuccessAsync();

        LqResult deleted = (await _lq.RunAsync("delete-queue", "gone")).AssertSuccess();

        Assert.Empty(deleted.Stdout);
        Assert.Empty((await _lq.RunAsync("list-queues")).AssertSuccess().Lines);
    }

    [Fact]
    public async Task Purge_deletes_every_message()
    {
        await _lq.RunAsync("create-queue", "q").AssertSuccessAsync();
        await _lq.RunAsync("send", "q", "one").AssertSuccessAsync();
        await _lq.RunAsync("send", "q", "two").AssertSuccessAsync();

        (await _lq.RunAsync("purge", "q")).AssertSuccess();

        Assert.Empty((await _lq.RunAsync("receive", "q", "--max", "10")).AssertSuccess().Lines);
    }
}
