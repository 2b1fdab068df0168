namespace LogQueue.Engine.Queues.Redrive;

/// <summary>A message move task's state and progress, as ListMessageMoveTasks reports it.</summary>
/// <param name="TaskHandle">The handle that cancels the task.</param>
/// <param name="SourceQueue">The queue messages move from (a dead-letter queue).</param>
/// <param name="DestinationQueue">The queue they move to; null moves each message back to the queue it came from.</param>
/// <param name="Status">RUNNING, COMPLETED, CANCELLING, CANCELLED or FAILED.</param>
/// <param name="ApproximateNumberOfMessagesMoved">Messages moved so far.</param>
/// <param name="ApproximateNumberOfMessagesToMove">Messages in the source when the task started.</param>
/// <param name="MaxNumberOfMessagesPerSecond">The rate limit, or null for as fast as possible.</param>
/// <param name="StartedTimestamp">When the task started, Unix milliseconds.</param>
/// <param name="FailureReason">Why a FAILED task stopped.</param>
public sealed record MessageMoveTaskStatus(
    string TaskHandle,
    string SourceQueue,
    string? DestinationQueue,
    string Status,
    long ApproximateNumberOfMessagesMoved,
    long ApproximateNumberOfMessagesToMove,
    int? MaxNumberOfMessagesPerSecond,
    long StartedTimestamp,
    string? FailureReason);
