using LogQueue.Protocol.Operations;
using MoveTaskStatus = LogQueue.Engine.Queues.Redrive.MessageMoveTaskStatus;

namespace LogQueue.Server.Dispatch;

internal sealed partial class RequestDispatcher
{
    private StartMessageMoveTaskResponse StartMessageMoveTask(StartMessageMoveTaskRequest request) =>
        new(Engine.StartMessageMoveTask(request.SourceQueue, request.DestinationQueue, request.MaxNumberOfMessagesPerSecond));

    private ListMessageMoveTasksResponse ListMessageMoveTasks(ListMessageMoveTasksRequest request)
    {
        IReadOnlyList<MoveTaskStatus> tasks = Engine.ListMessageMoveTasks(request.SourceQueue, request.MaxResults);
        var converted = new MessageMoveTask[tasks.Count];
        for (int i = 0; i < converted.Length; i++)
        {
            converted[i] = MessageConversion.ToWire(tasks[i]);
        }

        return new ListMessageMoveTasksResponse(converted);
    }

    private CancelMessageMoveTaskResponse CancelMessageMoveTask(CancelMessageMoveTaskRequest request) =>
        new(Engine.CancelMessageMoveTask(request.TaskHandle));
}
