using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>One queue's counts in a Stats response: <c>string name, i64 visible, i64 in flight, i64 delayed</c>.</summary>
/// <param name="QueueName">The queue.</param>
/// <param name="Visible">Messages ready to receive (ApproximateNumberOfMessages).</param>
/// <param name="InFlight">Messages received and not yet deleted or returned (ApproximateNumberOfMessagesNotVisible).</param>
/// <param name="Delayed">Messages waiting out a delay (ApproximateNumberOfMessagesDelayed).</param>
public readonly record struct QueueStats(string QueueName, long Visible, long InFlight, long Delayed)
{
    /// <summary>Writes the entry.</summary>
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(QueueName);
        writer.WriteInt64(Visible);
        writer.WriteInt64(InFlight);
        writer.WriteInt64(Delayed);
    }

    /// <summary>Reads an entry.</summary>
    public static QueueStats Read(ref PayloadReader reader) =>
        new(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());
}
