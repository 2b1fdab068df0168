using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Move tasks, newest first: <c>u16 count, MessageMoveTask...</c>.</summary>
/// <param name="Tasks">The tasks.</param>
public sealed record ListMessageMoveTasksResponse(IReadOnlyList<MessageMoveTask> Tasks) : IPayload<ListMessageMoveTasksResponse>
{
    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteCount(Tasks.Count);
        for (int i = 0; i < Tasks.Count; i++)
        {
            Tasks[i].Write(ref writer);
        }
    }

    /// <inheritdoc />
    public static ListMessageMoveTasksResponse Read(ref PayloadReader reader)
    {
        var tasks = new MessageMoveTask[reader.ReadCount(minimumItemSize: 40)];
        for (int i = 0; i < tasks.Length; i++)
        {
            tasks[i] = MessageMoveTask.Read(ref reader);
        }

        return new ListMessageMoveTasksResponse(tasks);
    }
}
