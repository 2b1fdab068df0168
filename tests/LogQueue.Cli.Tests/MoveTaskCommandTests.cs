using System.Text.Json;
using LogQueue.Cli.Tests.Infrastructure;

namespace LogQueue.Cli.Tests;

public sealed class MoveTaskCommandTests : IDisposable
{
    private readonly EmbeddedLq _lq = new();

    public void Dispose() => _lq.Dispose();

    [Fact]
    public async Task A_dead_letter_lands_in_the_dead_letter_queue_and_start_move_task_prints_a_handle()
    {
        await _lq.RunAsync("create-queue", "dlq").AssertSuccessAsync();
        await _lq.RunAsync("create-queue", "work", "-a", """RedrivePolicy={"deadLetterTargetArn":"arn:aws:sqs:logqueue:000000000000:dlq","maxReceiveCount":1}""").AssertSuccessAsync();
        await _lq.RunAsync("send", "work", "poison").AssertSuccessAsync();
        await _lq.RunAsync("receive", "work", "--visibility", "0").AssertSuccessAsync();
        Assert.Empty((await _lq.RunAsync("receive", "work")).AssertSuccess().Lines); // the second receive moved it to dlq
        JsonElement dead = JsonLines.SingleObject((await _lq.RunAsync("--json", "receive", "dlq", "--visibility", "0")).AssertSuccess());
        Assert.Equal("work", dead.GetProperty("deadLetterSourceQueue").GetString());

        string handle = Assert.Single((await _lq.RunAsync("start-move-task", "dlq", "--destination", "work", "--rate", "100")).AssertSuccess().Lines);
        Assert.StartsWith("dlq", handle, StringComparison.Ordinal);

        // Move tasks live in the engine that runs them; with --data-dir that engine closes when lq exits, so the
        // listing is only checked for its shape here (the end-to-end test lists a task on a running server).
        LqResult listed = (await _lq.RunAsync("--json", "list-move-tasks", "dlq")).AssertSuccess();
        Assert.All(JsonLines.Parse(listed), task => Assert.Equal("dlq", task.GetProperty("sourceQueue").GetString()));
    }

    [Fact]
    public async Task Cancelling_an_unknown_task_is_refused()
    {
        LqResult result = await _lq.RunAsync("cancel-move-task", "no-such-task");

        Assert.Equal(ExitCodes.RequestRefused, result.ExitCode);
        Assert.StartsWith("lq: ResourceNotFound (203): ", result.Stderr, StringComparison.Ordinal);
    }
}
