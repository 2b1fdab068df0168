namespace LogQueue.Engine.Queues.Messages;

/// <summary>A receive call's parameters.</summary>
/// <param name="MaxNumberOfMessages">1 to the engine's batch limit.</param>
/// <param name="VisibilityTimeout">Overrides the queue's visibility timeout (0 to 12 hours); null keeps it.</param>
/// <param name="WaitTime">Long-poll wait (0 to 20 s); null takes the queue's ReceiveMessageWaitTimeSeconds.</param>
public sealed record ReceiveMessageRequest(
    int MaxNumberOfMessages = 1,
    TimeSpan? VisibilityTimeout = null,
    TimeSpan? WaitTime = null);
