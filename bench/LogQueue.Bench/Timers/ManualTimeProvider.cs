namespace LogQueue.Bench.Timers;

/// <summary>
/// A clock that moves only when the benchmark advances it, for driving a timer wheel without real time.
/// Advancing walks the clock to each timer's due time in turn and fires it there, on the calling thread,
/// so a wheel wakes at exactly the moments its reaper asked for, as it would on the system clock.
/// One thread only; nothing here allocates after a timer is created, so allocation figures are the
/// wheel's own.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<ManualTimer> _timers = [];
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public override DateTimeOffset GetUtcNow() => Start.AddTicks(_ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period != Timeout.InfiniteTimeSpan && period != TimeSpan.Zero)
        {
            throw new NotSupportedException("Periodic timers are not needed by the wheel and not supported here.");
        }

        var timer = new ManualTimer(this, callback, state);
        _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="by"/>, firing every timer that comes due on the way at its due time.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        long target = _ticks + by.Ticks;
        while (NextDue(target) is { } timer)
        {
            _ticks = Math.Max(_ticks, timer.DueTicks);
            timer.Fire();
        }

        _ticks = target;
    }

    private ManualTimer? NextDue(long target)
    {
        ManualTimer? next = null;
        foreach (ManualTimer timer in _timers)
        {
            if (timer.DueTicks <= target && (next is null || timer.DueTicks < next.DueTicks))
            {
                next = timer;
            }
        }

        return next;
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public long DueTicks { get; private set; } = long.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            DueTicks = dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue : clock._ticks + Math.Max(0, dueTime.Ticks);
            return true;
        }

        public void Fire()
        {
            DueTicks = long.MaxValue;
            callback(state);
        }

        public void Dispose()
        {
            DueTicks = long.MaxValue;
            clock._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
