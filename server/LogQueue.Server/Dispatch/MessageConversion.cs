using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using Engine = LogQueue.Engine;
using Wire = LogQueue.Protocol;
using WireOps = LogQueue.Protocol.Operations;

namespace LogQueue.Server.Dispatch;

/// <summary>
/// Translates messages between the wire types (LogQueue.Protocol) and the engine's. The two have the same shapes
/// but are separate types, so that the protocol stays free of engine references (a client depends on it alone).
/// </summary>
internal static class MessageConversion
{
    /// <summary>
    /// An engine send request for a wire message, group and deduplication ids included: the engine decides what a queue
    /// accepts (a FIFO queue requires the group, a standard one refuses a deduplication id). Throws
    /// <see cref="Engine.LogQueueException"/> for bad attributes, which the server checks before the engine sees them.
    /// </summary>
    public static SendMessageRequest ToEngine(in WireOps.OutgoingMessage message)
    {
        MessageAttributes attributes = message.Attributes is { Count: > 0 } wire
            ? MessageAttributes.Create(wire.Select(static a => KeyValuePair.Create(a.Key, new MessageAttributeValue(a.Value.DataType, a.Value.StringValue, a.Value.BinaryValue))))
            : MessageAttributes.Empty;
        return new SendMessageRequest(message.Body, attributes, message.Delay, message.MessageGroupId, message.MessageDeduplicationId);
    }

    /// <summary>The wire form of a received message; the body and binary attribute values are shared, not copied.</summary>
    public static WireOps.ReceivedMessage ToWire(ReceivedMessage message)
    {
        IReadOnlyDictionary<string, Wire.MessageAttribute> attributes = Wire.Codec.MessageAttributeCodec.Empty;
        if (message.Attributes.Count > 0)
        {
            var converted = new Dictionary<string, Wire.MessageAttribute>(message.Attributes.Count, StringComparer.Ordinal);
            foreach ((string name, MessageAttributeValue value) in message.Attributes)
            {
                converted[name] = new Wire.MessageAttribute(value.DataType, value.StringValue, value.BinaryValue);
            }

            attributes = converted;
        }

        return new WireOps.ReceivedMessage(
            ToWire(message.MessageId),
            message.SequenceNumber,
            message.ReceiptHandle,
            message.SentTimestamp,
            message.ApproximateReceiveCount,
            message.ApproximateFirstReceiveTimestamp,
            message.DeadLetterSourceQueue,
            message.MessageGroupId,
            attributes,
            message.Body,
            message.MessageDeduplicationId);
    }

    public static Wire.MessageId ToWire(MessageId id) => new(id.QueueIncarnation, id.Sequence);

    public static WireOps.MessageMoveTask ToWire(Engine.Queues.Redrive.MessageMoveTaskStatus task) => new(
        task.TaskHandle,
        task.SourceQueue,
        task.DestinationQueue,
        task.Status,
        task.ApproximateNumberOfMessagesMoved,
        task.ApproximateNumberOfMessagesToMove,
        task.MaxNumberOfMessagesPerSecond,
        task.StartedTimestamp,
        task.FailureReason);

    /// <summary>The wire code of an engine error; the numbers are the same by design (a protocol test keeps them so).</summary>
    public static Wire.ErrorCode ToWire(Engine.ErrorCode code) => (Wire.ErrorCode)(ushort)code;
}
