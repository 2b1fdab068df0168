namespace LogQueue.Engine.Timers;

/// <summary>
/// Something that expires at a point in time on a <see cref="HierarchicalTimerWheel"/>. State that has a
/// deadline (an in-flight message, a delayed message, a waiting receive) derives from this class, so
/// scheduling it allocates nothing. An entry is on at most one wheel at a time; it may be scheduled again
/// after it fired or was cancelled.
/// </summary>
public abstract class TimerEntry
{
    internal TimerBucket? Bucket { get; set; }

    internal TimerEntry? Next { get; set; }

    internal TimerEntry? Previous { get; set; }

    /// <summary>When the entry expires, in milliseconds on its wheel's clock.</summary>
    internal long DueMilliseconds { get; set; }

    /// <summary>True while the entry waits on a wheel.</summary>
    public bool IsScheduled => Bucket is not null;

    /// <summary>
    /// Called once when the entry expires, on the wheel's timer thread and outside the wheel's lock.
    /// Keep it short: hand longer work elsewhere.
    /// </summary>
    protected internal abstract void OnExpired();
}
