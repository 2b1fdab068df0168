namespace LogQueue.Cli.Output.Json;

/// <summary>A started move task in <c>--json</c> output of <c>start-move-task</c>.</summary>
internal sealed record MoveTaskStartedJson(string TaskHandle);
