using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>
/// Sends several messages to one queue: <c>string queue name, u16 count, OutgoingMessage...</c>. Entries are
/// identified by position; the response has one result per entry, in order.
/// </summary>
/// <param name="QueueName">The queue.</param>
/// <param name="Messages">1 to the server's max batch size messages.</param>
public sealed record SendMessageBatchRequest(string QueueName, IReadOnlyList<OutgoingMessage> Messages)
    : IRequest<SendMessageBatchRequest, SendMessageBatchResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.SendMessageBatch;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(QueueName);
        writer.WriteCount(Messages.Count);
        for (int i = 0; i < Messages.Count; i++)
        {
            Messages[i].Write(ref writer);
        }
    }

    /// <inheritdoc />
    public static SendMessageBatchRequest Read(ref PayloadReader reader)
    {
        string queueName = reader.ReadString();

        // The smallest message: a u32 body length, u16 attribute count, i32 delay and two null strings.
        var messages = new OutgoingMessage[reader.ReadCount(minimumItemSize: 14)];
        for (int i = 0; i < messages.Length; i++)
        {
            messages[i] = OutgoingMessage.Read(ref reader);
        }

        return new SendMessageBatchRequest(queueName, messages);
    }
}
