namespace LogQueue.Cli.Output.Json;

/// <summary>A message move task in <c>--json</c> output of <c>list-move-tasks</c>; the started timestamp is Unix milliseconds.</summary>
internal sealed record MoveTaskJson(
    string TaskHandle,
    string SourceQueue,
    string? DestinationQueue,
    string Status,
    long ApproximateNumberOfMessagesMoved,
    long ApproximateNumberOfMessagesToMove,
    int? MaxNumberOfMessagesPerSecond,
    long StartedTimestamp,
    string? FailureReason);
