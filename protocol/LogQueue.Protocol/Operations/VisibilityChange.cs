using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>One entry of a ChangeMessageVisibilityBatch: <c>string receipt handle, i32 visibility timeout ms</c>.</summary>
/// <param name="ReceiptHandle">The handle from the message's latest receive.</param>
/// <param name="VisibilityTimeout">0 to 12 hours, counted from now.</param>
public readonly record struct VisibilityChange(string ReceiptHandle, TimeSpan VisibilityTimeout)
{
    /// <summary>Writes the entry.</summary>
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(ReceiptHandle);
        writer.WriteDuration(VisibilityTimeout);
    }

    /// <summary>Reads an entry.</summary>
    public static VisibilityChange Read(ref PayloadReader reader) =>
        new(reader.ReadString(), reader.ReadDuration() ?? throw new ProtocolFormatException("The visibility timeout is required."));
}
