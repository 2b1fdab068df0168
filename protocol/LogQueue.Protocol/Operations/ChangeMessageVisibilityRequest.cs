using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>
/// Changes a received message's visibility timeout, counted from now: <c>string queue name, string receipt
/// handle, i32 visibility timeout ms</c> (0: visible at once); the response is empty.
/// </summary>
/// <param name="QueueName">The queue.</param>
/// <param name="ReceiptHandle">The handle from the message's latest receive.</param>
/// <param name="VisibilityTimeout">0 to 12 hours.</param>
public sealed record ChangeMessageVisibilityRequest(string QueueName, string ReceiptHandle, TimeSpan VisibilityTimeout)
    : IRequest<ChangeMessageVisibilityRequest, EmptyResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.ChangeMessageVisibility;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(QueueName);
        writer.WriteString(ReceiptHandle);
        writer.WriteDuration(VisibilityTimeout);
    }

    /// <inheritdoc />
    public static ChangeMessageVisibilityRequest Read(ref PayloadReader reader) =>
        new(reader.ReadString(), reader.ReadString(), reader.ReadDuration() ?? throw new ProtocolFormatException("The visibility timeout is required."));
}
