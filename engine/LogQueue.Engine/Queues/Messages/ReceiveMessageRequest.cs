namespace LogQueue.Engine.Queues.Messages;

/// <summary>A receive call's parameters.</summary>
/// <param name="MaxNumberOfMessages">1 to the engine's batch limit.</param>
/// <param name="VisibilityTimeout">Overrides the queue's visibility timeout (0 to 12 hours); null keeps it.</param>
/// <param name="WaitTime">Long-poll wait (0 to 20 s); null takes the queue's ReceiveMessageWaitTimeSeconds.</param>
/// <param name="MaxTotalBytes">
/// A byte budget for the whole answer, for a caller that must fit it in a bounded space (the server: one frame).
/// Each message costs its stored size (body plus its encoded attributes block, which is at least the attribute size
/// the queue's MaximumMessageSize was checked against) plus <paramref name="PerMessageOverhead"/>. The receive stops
/// before the first message that would take the total over the budget, and that message stays visible, first in line
/// for the next receive. The first message is always taken, whatever its cost, so a receive never comes back empty
/// for want of room. Messages moved to a dead-letter queue instead of being delivered cost nothing. Null: no limit.
/// </param>
/// <param name="PerMessageOverhead">
/// What each message costs beyond its stored size under <paramref name="MaxTotalBytes"/> (for the server: the id,
/// receipt handle, timestamps and length prefixes its encoding adds). 0 or more; ignored without a budget.
/// </param>
/// <param name="ReceiveRequestAttemptId">
/// FIFO queues: a retried receive with the same id within 5 minutes returns the same messages and receipt handles, while
/// they are still in flight under that receive (1 to 128 characters of <see cref="FifoIdentifier"/>). Ignored on a standard queue.
/// </param>
public sealed record ReceiveMessageRequest(
    int MaxNumberOfMessages = 1,
    TimeSpan? VisibilityTimeout = null,
    TimeSpan? WaitTime = null,
    long? MaxTotalBytes = null,
    int PerMessageOverhead = 0,
    string? ReceiveRequestAttemptId = null);
