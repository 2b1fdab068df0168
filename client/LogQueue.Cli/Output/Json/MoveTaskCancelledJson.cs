namespace LogQueue.Cli.Output.Json;

/// <summary>A cancelled move task in <c>--json</c> output of <c>cancel-move-task</c>.</summary>
internal sealed record MoveTaskCancelledJson(long ApproximateNumberOfMessagesMoved);
