namespace LogQueue.Engine.Queues.Messages;

/// <summary>What a successful send returns.</summary>
/// <param name="MessageId">The new message's id.</param>
/// <param name="SequenceNumber">The message's sequence in the queue's log.</param>
public sealed record SendMessageResult(MessageId MessageId, long SequenceNumber);
