using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Queues.Redrive;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using EngineException = LogQueue.Engine.LogQueueException;
using EngineMessageId = LogQueue.Engine.Queues.Messages.MessageId;
using EngineReceivedMessage = LogQueue.Engine.Queues.Messages.ReceivedMessage;
using EngineSendRequest = LogQueue.Engine.Queues.Messages.SendMessageRequest;
using ProtocolMessageId = LogQueue.Protocol.MessageId;
using ProtocolMoveTask = LogQueue.Protocol.Operations.MessageMoveTask;

namespace LogQueue.Client.Embedded;

/// <summary>
/// Turns the protocol's types into the engine's and back, so the embedded client answers exactly as the server
/// would: the same error codes (the two enums share their numbers), the same ids, the same attributes.
/// </summary>
internal static class EngineMapping
{
    /// <summary>The engine's error as the client's exception, code for code.</summary>
    public static LogQueueException ToClientException(EngineException exception) =>
        new((ErrorCode)(ushort)exception.Code, exception.Message, exception);

    /// <summary>
    /// The engine's send request, group and deduplication ids included: the engine applies the queue's rules to them,
    /// as it does behind the server.
    /// </summary>
    public static EngineSendRequest ToEngine(in OutgoingMessage message)
    {
        MessageAttributes? attributes = null;
        if (message.Attributes is { Count: > 0 })
        {
            try
            {
                attributes = MessageAttributes.Create(message.Attributes.Select(static a =>
                    KeyValuePair.Create(a.Key, new MessageAttributeValue(a.Value.DataType, a.Value.StringValue, a.Value.BinaryValue))));
            }
            catch (EngineException ex)
            {
                throw ToClientException(ex);
            }
        }

        return new EngineSendRequest(message.Body, attributes, message.Delay, message.MessageGroupId, message.MessageDeduplicationId);
    }

    public static ProtocolMessageId ToProtocol(EngineMessageId id) => new(id.QueueIncarnation, id.Sequence);

    public static SendMessageResponse ToProtocol(SendMessageResult result) => new(ToProtocol(result.MessageId), result.SequenceNumber);

    public static EntryResult ToEntryResult(BatchResultEntry<bool> entry) =>
        entry.Succeeded ? EntryResult.Success : new EntryResult((ErrorCode)(ushort)entry.Error, entry.ErrorMessage ?? entry.Error.ToString());

    public static ProtocolMoveTask ToProtocol(MessageMoveTaskStatus task) => new(
        task.TaskHandle,
        task.SourceQueue,
        task.DestinationQueue,
        task.Status,
        task.ApproximateNumberOfMessagesMoved,
        task.ApproximateNumberOfMessagesToMove,
        task.MaxNumberOfMessagesPerSecond,
        task.StartedTimestamp,
        task.FailureReason);

    public static QueueMessage ToQueueMessage(ILogQueueClient client, string queueName, EngineReceivedMessage message)
    {
        // Most messages carry no attributes: they share the one empty set instead of a dictionary each.
        IReadOnlyDictionary<string, MessageAttribute> attributes = LogQueue.Protocol.Codec.MessageAttributeCodec.Empty;
        if (message.Attributes.Count > 0)
        {
            var converted = new Dictionary<string, MessageAttribute>(message.Attributes.Count, StringComparer.Ordinal);
            foreach ((string name, MessageAttributeValue value) in message.Attributes)
            {
                converted.Add(name, new MessageAttribute(value.DataType, value.StringValue, value.BinaryValue));
            }

            attributes = converted;
        }

        return new QueueMessage(
            client,
            queueName,
            ToProtocol(message.MessageId),
            message.SequenceNumber,
            message.ReceiptHandle,
            message.Body,
            attributes,
            DateTimeOffset.FromUnixTimeMilliseconds(message.SentTimestamp),
            message.ApproximateReceiveCount,
            DateTimeOffset.FromUnixTimeMilliseconds(message.ApproximateFirstReceiveTimestamp),
            message.DeadLetterSourceQueue,
            message.MessageGroupId,
            message.MessageDeduplicationId);
    }

    /// <summary>Batch entry ids by position, as the protocol's batches have none: "0", "1", ...</summary>
    public static string EntryId(int index) => index < EntryIds.Length ? EntryIds[index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The position an entry id stands for.</summary>
    public static int EntryIndex(string id) => int.Parse(id, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string[] EntryIds = [.. Enumerable.Range(0, 128).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
