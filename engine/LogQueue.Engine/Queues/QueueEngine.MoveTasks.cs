using System.Globalization;
using LogQueue.Engine.Queues.Redrive;

namespace LogQueue.Engine.Queues;

public sealed partial class QueueEngine
{
    private readonly List<MessageMoveTask> _moveTasks = [];
    private long _moveTaskCounter;

    /// <summary>
    /// Starts moving the messages of <paramref name="sourceQueue"/> (a dead-letter queue) to
    /// <paramref name="destinationQueue"/>, or, when that is null, each back to the queue it came from.
    /// One task at a time per source. Returns the task handle.
    /// </summary>
    public string StartMessageMoveTask(string sourceQueue, string? destinationQueue = null, int? maxNumberOfMessagesPerSecond = null)
    {
        MessageQueue source = GetQueue(sourceQueue);
        if (destinationQueue is not null)
        {
            MessageQueue destination = GetQueue(destinationQueue);

            // A standard queue's messages have no group (a FIFO destination would pile them into one nameless group),
            // and a FIFO queue's order would be lost in a standard one: as for redrive policies, the kinds must match.
            if (destination.IsFifo != source.IsFifo)
            {
                throw new LogQueueException(
                    ErrorCode.InvalidParameterValue,
                    $"A message move task moves between queues of one kind: '{sourceQueue}' is {(source.IsFifo ? "a FIFO" : "a standard")} queue, '{destinationQueue}' is not.");
            }

            // Each moved copy would be a new message of the source, received and moved again: a task that never ends.
            if (destinationQueue == sourceQueue)
            {
                throw new LogQueueException(ErrorCode.InvalidParameterValue, $"A message move task cannot move the queue '{sourceQueue}' into itself.");
            }
        }

        if (maxNumberOfMessagesPerSecond is < 1 or > 500)
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, $"MaxNumberOfMessagesPerSecond must be 1 to 500; it is {maxNumberOfMessagesPerSecond}.");
        }

        lock (_moveTasks)
        {
            if (_moveTasks.Any(t => t.Source == sourceQueue && t.IsRunning))
            {
                throw new LogQueueException(ErrorCode.UnsupportedOperation, $"A message move task is already running for '{sourceQueue}'.");
            }

            string handle = string.Create(CultureInfo.InvariantCulture, $"{sourceQueue}:{++_moveTaskCounter}:{_time.GetUtcNow().ToUnixTimeMilliseconds()}");
            var task = new MessageMoveTask(this, handle, sourceQueue, destinationQueue, maxNumberOfMessagesPerSecond, source.GetCounts().Visible, _time);
            _moveTasks.Add(task);
            task.Start();
            return handle;
        }
    }

    /// <summary>The move tasks of a source queue, most recent first (at most <paramref name="maxResults"/>, 1 to 10).</summary>
    public IReadOnlyList<MessageMoveTaskStatus> ListMessageMoveTasks(string sourceQueue, int maxResults = 1)
    {
        _ = GetQueue(sourceQueue);
        if (maxResults is < 1 or > 10)
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, $"MaxResults must be 1 to 10; it is {maxResults}.");
        }

        lock (_moveTasks)
        {
            return [.. _moveTasks.Where(t => t.Source == sourceQueue).Reverse().Take(maxResults).Select(t => t.Snapshot())];
        }
    }

    /// <summary>Cancels a running move task; returns how many messages it had moved.</summary>
    public long CancelMessageMoveTask(string taskHandle)
    {
        ThrowIfClosed();
        MessageMoveTask? task;
        lock (_moveTasks)
        {
            task = _moveTasks.FirstOrDefault(t => t.Handle == taskHandle);
        }

        if (task is null)
        {
            throw new LogQueueException(ErrorCode.ResourceNotFound, $"No message move task has the handle '{taskHandle}'.");
        }

        if (!task.IsRunning)
        {
            throw new LogQueueException(ErrorCode.UnsupportedOperation, $"The message move task '{taskHandle}' is not running.");
        }

        task.Cancel();
        return task.Moved;
    }

    private async Task StopMoveTasksAsync()
    {
        MessageMoveTask[] tasks;
        lock (_moveTasks)
        {
            tasks = [.. _moveTasks];
        }

        foreach (MessageMoveTask task in tasks)
        {
            task.Cancel();
            await task.Completion.ConfigureAwait(false);
            task.Dispose();
        }
    }

    /// <summary>Waits for a move task to end (for tests and orderly shutdown).</summary>
    internal Task WaitForMoveTaskAsync(string taskHandle)
    {
        lock (_moveTasks)
        {
            return _moveTasks.FirstOrDefault(t => t.Handle == taskHandle)?.Completion ?? Task.CompletedTask;
        }
    }
}
