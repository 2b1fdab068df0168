using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Queues.Redrive;

/// <summary>
/// Moves messages out of a dead-letter queue: to a named queue, or each back to the queue it came from.
/// Each message is received from the source (so nobody else gets it meanwhile), appended to its
/// destination with its body, attributes and sent time, then deleted from the source: at least once.
/// Runs until the source has no visible message left, or it is cancelled. Not resumed after a restart.
/// </summary>
internal sealed class MessageMoveTask : IDisposable
{
    private const int BatchSize = 10;
    private static readonly TimeSpan HoldWhileMoving = TimeSpan.FromSeconds(60);

    private readonly QueueEngine _engine;
    private readonly CancellationTokenSource _cancel = new();
    private readonly TimeProvider _time;
    private long _moved;
    private string _status = "RUNNING";
    private string? _failure;

    public MessageMoveTask(QueueEngine engine, string handle, string source, string? destination, int? maxPerSecond, long toMove, TimeProvider time)
    {
        _engine = engine;
        Handle = handle;
        Source = source;
        Destination = destination;
        MaxPerSecond = maxPerSecond;
        ToMove = toMove;
        _time = time;
        StartedTimestamp = time.GetUtcNow().ToUnixTimeMilliseconds();
    }

    public string Handle { get; }

    public string Source { get; }

    public string? Destination { get; }

    public int? MaxPerSecond { get; }

    public long ToMove { get; }

    public long StartedTimestamp { get; }

    public bool IsRunning => _status is "RUNNING" or "CANCELLING";

    public long Moved => Interlocked.Read(ref _moved);

    public Task Completion { get; private set; } = Task.CompletedTask;

    public MessageMoveTaskStatus Snapshot() => new(Handle, Source, Destination, _status, Moved, ToMove, MaxPerSecond, StartedTimestamp, _failure);

    public void Start() => Completion = Task.Run(RunAsync);

    public void Dispose() => _cancel.Dispose();

    public void Cancel()
    {
        // One step: a check then a write could overwrite the COMPLETED the task set in between, leaving it
        // CANCELLING, and so "running", for good. (The statuses are literals, so reference comparison holds.)
        if (ReferenceEquals(Interlocked.CompareExchange(ref _status, "CANCELLING", "RUNNING"), "RUNNING"))
        {
            _cancel.Cancel();
        }
    }

    private async Task RunAsync()
    {
        CancellationToken token = _cancel.Token;
        long started = _time.GetTimestamp();
        try
        {
            while (!token.IsCancellationRequested)
            {
                MessageQueue source = _engine.FindQueue(Source) ?? throw new LogQueueException(ErrorCode.QueueDoesNotExist, $"The source queue '{Source}' was deleted.");
                int take = BatchSize;
                if (MaxPerSecond is int rate)
                {
                    // Stay at or under the rate: wait until the next message is allowed, then take what is due.
                    long allowed = (long)(_time.GetElapsedTime(started).TotalSeconds * rate) + 1 - Moved;
                    if (allowed <= 0)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(1000.0 / rate), _time, token).ConfigureAwait(false);
                        continue;
                    }

                    take = (int)Math.Min(take, allowed);
                }

                IReadOnlyList<ReceivedMessage> batch = await source.ReceiveAsync(new ReceiveMessageRequest(take, HoldWhileMoving, TimeSpan.Zero), BatchSize, token).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    break;
                }

                foreach (ReceivedMessage message in batch)
                {
                    await MoveAsync(source, message, token).ConfigureAwait(false);
                    Interlocked.Increment(ref _moved);
                }
            }

            _status = token.IsCancellationRequested ? "CANCELLED" : "COMPLETED";
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _status = "CANCELLED";
        }
        catch (Exception ex) when (ex is LogQueueException or IOException)
        {
            _failure = ex.Message;
            _status = "FAILED";
        }
    }

    private async Task MoveAsync(MessageQueue source, ReceivedMessage message, CancellationToken token)
    {
        string? destinationName = Destination ?? message.DeadLetterSourceQueue
            ?? throw new LogQueueException(ErrorCode.InvalidParameterValue, $"Message {message.MessageId} in '{Source}' did not come from another queue; give the task a destination.");
        MessageQueue destination = _engine.FindQueue(destinationName)
            ?? throw new LogQueueException(ErrorCode.QueueDoesNotExist, $"The destination queue '{destinationName}' does not exist.");
        if (source.Log.TryRead(message.SequenceNumber, out StoredRecord? record))
        {
            await MessageQueue.MoveRecordAsync(record, message.MessageId, destination, sourceQueue: null, token).ConfigureAwait(false);
        }

        await source.DeleteAsync(message.ReceiptHandle, CancellationToken.None).ConfigureAwait(false);
    }
}
