namespace LogQueue.Engine.Queues.Fairness;

/// <summary>
/// Consecutive sequences of one message group as the cursor met them: <see cref="Start"/> up to
/// <see cref="Start"/> + <see cref="Count"/> - 1. A group's backlog sent in a burst is one run, so indexing a
/// million messages of one noisy group costs sixteen bytes, not a million entries.
/// </summary>
internal struct SequenceRun(long start, int count)
{
    public long Start = start;

    public int Count = count;
}
