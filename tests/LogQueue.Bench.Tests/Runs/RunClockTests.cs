using System.Diagnostics;
using LogQueue.Bench.Load.Runs;

namespace LogQueue.Bench.Tests.Runs;

public class RunClockTests
{
    [Fact]
    public void Before_the_measured_phase_nothing_is_in_the_window()
    {
        var clock = new RunClock();
        Assert.Equal(RunPhase.Starting, clock.Phase);
        clock.Enter(RunPhase.Warmup);

        Assert.Equal(RunPhase.Warmup, clock.Phase);
        Assert.Equal(TimeSpan.Zero, clock.Measured);
        Assert.Equal(long.MaxValue, clock.MeasureStart);
        Assert.False(clock.InWindow(Stopwatch.GetTimestamp()));
        Assert.False(clock.InWindow(long.MaxValue - 1));
    }

    [Fact]
    public void The_window_opens_on_measure_and_closes_on_the_next_phase()
    {
        var clock = new RunClock();
        clock.Enter(RunPhase.Warmup);
        long beforeWindow = Stopwatch.GetTimestamp();
        clock.Enter(RunPhase.Measure);
        long inWindow = Stopwatch.GetTimestamp();

        Assert.Equal(RunPhase.Measure, clock.Phase);
        Assert.InRange(clock.MeasureStart, beforeWindow, inWindow);
        Assert.Equal(long.MaxValue, clock.MeasureEnd);
        Assert.True(clock.InWindow(clock.MeasureStart)); // the start is inside
        Assert.True(clock.InWindow(inWindow));
        Assert.True(clock.InWindow(inWindow + Stopwatch.Frequency)); // open: later stamps count too
        Assert.False(clock.InWindow(clock.MeasureStart - 1));
        Assert.True(clock.Measured >= TimeSpan.Zero);

        clock.Enter(RunPhase.Drain);
        long afterWindow = Stopwatch.GetTimestamp();

        Assert.Equal(RunPhase.Drain, clock.Phase);
        Assert.InRange(clock.MeasureEnd, inWindow, afterWindow);
        Assert.False(clock.InWindow(clock.MeasureEnd)); // the end is outside
        Assert.False(clock.InWindow(afterWindow + 1));
        Assert.True(clock.InWindow(clock.MeasureEnd - 1));
        Assert.Equal(Stopwatch.GetElapsedTime(clock.MeasureStart, clock.MeasureEnd), clock.Measured);

        // Closed: the window's length no longer grows, and later phases do not move it.
        TimeSpan measured = clock.Measured;
        clock.Enter(RunPhase.Done);
        Assert.Equal(RunPhase.Done, clock.Phase);
        Assert.Equal(measured, clock.Measured);
    }

    [Fact]
    public void A_run_that_goes_from_measure_straight_to_done_closes_the_window()
    {
        var clock = new RunClock();
        clock.Enter(RunPhase.Measure);
        clock.Enter(RunPhase.Done);
        Assert.NotEqual(long.MaxValue, clock.MeasureEnd);
        Assert.False(clock.InWindow(Stopwatch.GetTimestamp()));
    }

    [Fact]
    public void A_window_of_fixed_length_ends_when_it_says_whenever_the_next_phase_comes()
    {
        var clock = new RunClock();
        clock.Enter(RunPhase.Warmup);
        clock.Enter(RunPhase.Measure, TimeSpan.FromSeconds(1));
        long start = clock.MeasureStart;

        Assert.Equal(start + Stopwatch.Frequency, clock.MeasureEnd);
        Assert.True(clock.InWindow(start + Stopwatch.Frequency - 1));
        Assert.False(clock.InWindow(start + Stopwatch.Frequency));
        Assert.InRange(clock.Measured, TimeSpan.Zero, TimeSpan.FromSeconds(1));

        // The run's timer fires (late or early): the window keeps its end.
        clock.Enter(RunPhase.Drain);
        Assert.Equal(start + Stopwatch.Frequency, clock.MeasureEnd);
        Assert.Equal(RunPhase.Drain, clock.Phase);
    }
}
