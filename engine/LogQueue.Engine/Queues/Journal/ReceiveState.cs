namespace LogQueue.Engine.Queues.Journal;

/// <summary>What the state journal keeps about a message that was received at least once and not deleted.</summary>
/// <param name="ReceiveCount">How many times the message was received (1 or more).</param>
/// <param name="FirstReceiveTimestampMs">When it was first received, Unix milliseconds.</param>
public readonly record struct ReceiveState(int ReceiveCount, long FirstReceiveTimestampMs);
