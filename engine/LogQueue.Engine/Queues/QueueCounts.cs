namespace LogQueue.Engine.Queues;

/// <summary>Approximate message counts of a queue.</summary>
/// <param name="Visible">ApproximateNumberOfMessages: stored, not in flight, not delayed.</param>
/// <param name="NotVisible">ApproximateNumberOfMessagesNotVisible: in flight.</param>
/// <param name="Delayed">ApproximateNumberOfMessagesDelayed.</param>
/// <param name="OldestAgeSeconds">ApproximateAgeOfOldestMessage, in seconds.</param>
public sealed record QueueCounts(long Visible, long NotVisible, long Delayed, long OldestAgeSeconds);
