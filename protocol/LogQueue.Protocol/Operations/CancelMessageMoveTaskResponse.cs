using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>The cancelled task's progress: <c>i64 messages moved</c>.</summary>
/// <param name="ApproximateNumberOfMessagesMoved">Moved before the cancel.</param>
public sealed record CancelMessageMoveTaskResponse(long ApproximateNumberOfMessagesMoved) : IPayload<CancelMessageMoveTaskResponse>
{
    /// <inheritdoc />
    public void Write(ref PayloadWriter writer) => writer.WriteInt64(ApproximateNumberOfMessagesMoved);

    /// <inheritdoc />
    public static CancelMessageMoveTaskResponse Read(ref PayloadReader reader) => new(reader.ReadInt64());
}
