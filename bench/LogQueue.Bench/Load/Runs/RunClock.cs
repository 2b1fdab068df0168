using System.Diagnostics;

namespace LogQueue.Bench.Load.Runs;

/// <summary>
/// The run's phases and its measured window in Stopwatch ticks. An event counts in the figures when its own
/// timestamp falls in the window: a send by when it started (or was meant to start), a receive by when it
/// arrived, an end-to-end latency by its message's send time. Workers read the window without locks.
/// </summary>
internal sealed class RunClock
{
    private long _measureStart = long.MaxValue;
    private long _measureEnd = long.MaxValue;
    private int _phase;

    /// <summary>The phase now.</summary>
    public RunPhase Phase => (RunPhase)Volatile.Read(ref _phase);

    /// <summary>When the measured window opened (Stopwatch ticks); long.MaxValue before.</summary>
    public long MeasureStart => Volatile.Read(ref _measureStart);

    /// <summary>When the measured window closed (Stopwatch ticks); long.MaxValue while open.</summary>
    public long MeasureEnd => Volatile.Read(ref _measureEnd);

    /// <summary>The window's length so far, or in all once closed.</summary>
    public TimeSpan Measured
    {
        get
        {
            long start = MeasureStart;
            if (start == long.MaxValue)
            {
                return TimeSpan.Zero;
            }

            long now = Stopwatch.GetTimestamp();
            return Stopwatch.GetElapsedTime(start, Math.Min(now, MeasureEnd));
        }
    }

    /// <summary>True when <paramref name="timestamp"/> falls in the measured window.</summary>
    public bool InWindow(long timestamp) => timestamp >= Volatile.Read(ref _measureStart) && timestamp < Volatile.Read(ref _measureEnd);

    /// <summary>
    /// Moves to <paramref name="phase"/>. Entering <see cref="RunPhase.Measure"/> opens the window; with a
    /// <paramref name="measureFor"/> its end is fixed at once, so the window is exactly that long however late the
    /// run's own timer fires on a busy machine. Leaving it closes a window whose end was not fixed.
    /// </summary>
    public void Enter(RunPhase phase, TimeSpan? measureFor = null)
    {
        long now = Stopwatch.GetTimestamp();
        if (phase == RunPhase.Measure)
        {
            if (measureFor is { } length)
            {
                Volatile.Write(ref _measureEnd, now + (long)(length.TotalSeconds * Stopwatch.Frequency));
            }

            Volatile.Write(ref _measureStart, now);
        }
        else if (Phase == RunPhase.Measure && MeasureEnd == long.MaxValue)
        {
            Volatile.Write(ref _measureEnd, now);
        }

        Volatile.Write(ref _phase, (int)phase);
    }
}
