using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>
/// Receives messages: <c>string queue name, u16 max messages, i32 visibility timeout ms (-1: the queue's),
/// i32 wait time ms (-1: the queue's ReceiveMessageWaitTimeSeconds), string? receive request attempt id</c>.
/// A long poll answers as soon as a message arrives, or empty when the wait ends; other requests on the
/// connection are answered meanwhile.
/// </summary>
/// <param name="QueueName">The queue.</param>
/// <param name="MaxNumberOfMessages">1 to the server's max batch size.</param>
/// <param name="VisibilityTimeout">Overrides the queue's visibility timeout (0 to 12 hours).</param>
/// <param name="WaitTime">Long-poll wait (0 to 20 s).</param>
/// <param name="ReceiveRequestAttemptId">FIFO queues: makes a retried receive return the same messages; null otherwise.</param>
public sealed record ReceiveMessageRequest(
    string QueueName,
    int MaxNumberOfMessages = 1,
    TimeSpan? VisibilityTimeout = null,
    TimeSpan? WaitTime = null,
    string? ReceiveRequestAttemptId = null) : IRequest<ReceiveMessageRequest, ReceiveMessageResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.ReceiveMessage;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(QueueName);
        writer.WriteCount(MaxNumberOfMessages);
        writer.WriteDuration(VisibilityTimeout);
        writer.WriteDuration(WaitTime);
        writer.WriteNullableString(ReceiveRequestAttemptId);
    }

    /// <inheritdoc />
    public static ReceiveMessageRequest Read(ref PayloadReader reader) =>
        new(reader.ReadString(), reader.ReadUInt16(), reader.ReadDuration(), reader.ReadDuration(), reader.ReadNullableString());
}
