namespace LogQueue.Client;

/// <summary>
/// Handles messages for <see cref="LogQueueConsumerService{THandler}"/>: resolved from a fresh DI scope per
/// message. Return to have the message deleted; throw to have it released for another try.
/// </summary>
public interface IQueueMessageHandler
{
    /// <summary>Handles one message; <paramref name="cancellationToken"/> is cancelled when the host stops.</summary>
    Task HandleAsync(QueueMessage message, CancellationToken cancellationToken);
}
