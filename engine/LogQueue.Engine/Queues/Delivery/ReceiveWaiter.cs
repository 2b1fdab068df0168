using LogQueue.Engine.Timers;

namespace LogQueue.Engine.Queues.Delivery;

/// <summary>
/// A long-polling receive waiting for messages. It holds no thread: the queue completes it from whatever
/// makes a message visible (a send, a visibility timeout, a delay), from its deadline on the timer wheel,
/// or from its caller's cancellation, whichever comes first; the others then find it gone.
/// </summary>
internal sealed class ReceiveWaiter(MessageQueue queue, ReceiveBudget budget, TimeSpan visibilityTimeout) : TimerEntry
{
    private readonly TaskCompletionSource<List<ReceiveCandidate>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The waiting receive's count and byte limits, which apply to what it is served as to a short poll.</summary>
    public ReceiveBudget Budget { get; } = budget;

    public TimeSpan VisibilityTimeout { get; } = visibilityTimeout;

    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>Its node in the queue's waiter list, while it waits.</summary>
    public LinkedListNode<ReceiveWaiter>? Node { get; set; }

    public Task<List<ReceiveCandidate>> Task => _completion.Task;

    /// <summary>Completes the wait; the caller has removed it from the queue's list under the queue lock.</summary>
    public void Complete(List<ReceiveCandidate> candidates) => _completion.TrySetResult(candidates);

    /// <summary>Ends the wait early (the caller cancelled).</summary>
    public void Cancel() => queue.EndWait(this);

    protected internal override void OnExpired() => queue.OnWaitExpired(this);
}
