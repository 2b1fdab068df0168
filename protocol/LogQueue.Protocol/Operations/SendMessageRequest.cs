using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Sends one message: <c>string queue name, OutgoingMessage</c>.</summary>
/// <param name="QueueName">The queue.</param>
/// <param name="Message">The message.</param>
public sealed record SendMessageRequest(string QueueName, OutgoingMessage Message) : IRequest<SendMessageRequest, SendMessageResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.SendMessage;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(QueueName);
        Message.Write(ref writer);
    }

    /// <inheritdoc />
    public static SendMessageRequest Read(ref PayloadReader reader) => new(reader.ReadString(), OutgoingMessage.Read(ref reader));
}
