using System.CommandLine;
using System.Globalization;
using LogQueue.Cli.Output.Json;
using LogQueue.Protocol.Operations;

namespace LogQueue.Cli.Commands;

/// <summary>Commands that move a dead-letter queue's messages out again (redrive): start, list, cancel.</summary>
internal static class MoveTaskCommands
{
    public static IEnumerable<Command> Create(CommandRunner runner) =>
    [
        Start(runner),
        List(runner),
        Cancel(runner),
    ];

    private static Command Start(CommandRunner runner)
    {
        Argument<string> source = new("source") { Description = "The dead-letter queue to move messages out of." };
        Option<string?> destination = new("--destination", "-d") { Description = "The queue to move them to; each message's source queue when absent.", HelpName = "queue" };
        Option<int?> rate = new("--rate") { Description = "At most this many messages per second; as fast as possible when absent.", HelpName = "per-second" };
        rate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--rate must be at least 1.");
            }
        });
        var command = new Command("start-move-task", "Start moving a dead-letter queue's messages out; prints the task handle.") { source, destination, rate };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, output, token) =>
        {
            string handle = await client.StartMessageMoveTaskAsync(parseResult.GetRequiredValue(source), parseResult.GetValue(destination), parseResult.GetValue(rate), token);
            output.Result(new MoveTaskStartedJson(handle), CliJsonContext.Default.MoveTaskStartedJson, handle);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command List(CommandRunner runner)
    {
        Argument<string> source = new("source") { Description = "The dead-letter queue whose move tasks to list." };
        Option<int> max = new("--max", "-n") { Description = "At most this many tasks, newest first.", HelpName = "count", DefaultValueFactory = _ => 10 };
        var command = new Command(
            "list-move-tasks",
            "List a queue's move tasks, newest first: handle, status, moved/to move, source -> destination.")
        {
            source, max,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, output, token) =>
        {
            foreach (MessageMoveTask task in await client.ListMessageMoveTasksAsync(parseResult.GetRequiredValue(source), parseResult.GetValue(max), token))
            {
                var json = new MoveTaskJson(
                    task.TaskHandle,
                    task.SourceQueue,
                    task.DestinationQueue,
                    task.Status,
                    task.ApproximateNumberOfMessagesMoved,
                    task.ApproximateNumberOfMessagesToMove,
                    task.MaxNumberOfMessagesPerSecond,
                    task.StartedTimestamp,
                    task.FailureReason);
                string text = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{task.TaskHandle}\t{task.Status}\t{task.ApproximateNumberOfMessagesMoved}/{task.ApproximateNumberOfMessagesToMove}\t{task.SourceQueue} -> {task.DestinationQueue ?? "(source queues)"}");
                output.Result(json, CliJsonContext.Default.MoveTaskJson, task.FailureReason is null ? text : text + "\t" + task.FailureReason);
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Cancel(CommandRunner runner)
    {
        Argument<string> handle = new("task-handle") { Description = "The handle start-move-task printed." };
        var command = new Command("cancel-move-task", "Cancel a running move task; prints how many messages it had moved.") { handle };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, output, token) =>
        {
            long moved = await client.CancelMessageMoveTaskAsync(parseResult.GetRequiredValue(handle), token);
            output.Result(new MoveTaskCancelledJson(moved), CliJsonContext.Default.MoveTaskCancelledJson, moved.ToString(CultureInfo.InvariantCulture));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
