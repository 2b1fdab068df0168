using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Changes several messages' visibility: <c>string queue name, u16 count, VisibilityChange...</c>.</summary>
/// <param name="QueueName">The queue.</param>
/// <param name="Changes">1 to the server's max batch size entries.</param>
public sealed record ChangeMessageVisibilityBatchRequest(string QueueName, IReadOnlyList<VisibilityChange> Changes)
    : IRequest<ChangeMessageVisibilityBatchRequest, BatchResultResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.ChangeMessageVisibilityBatch;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(QueueName);
        writer.WriteCount(Changes.Count);
        for (int i = 0; i < Changes.Count; i++)
        {
            Changes[i].Write(ref writer);
        }
    }

    /// <inheritdoc />
    public static ChangeMessageVisibilityBatchRequest Read(ref PayloadReader reader)
    {
        string queueName = reader.ReadString();
        var changes = new VisibilityChange[reader.ReadCount(minimumItemSize: 6)];
        for (int i = 0; i < changes.Length; i++)
        {
            changes[i] = VisibilityChange.Read(ref reader);
        }

        return new ChangeMessageVisibilityBatchRequest(queueName, changes);
    }
}
