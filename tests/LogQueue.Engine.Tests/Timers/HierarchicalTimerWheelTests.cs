using LogQueue.Engine.Timers;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Timers;

public class HierarchicalTimerWheelTests
{
    private sealed class RecordingEntry(ManualTimeProvider clock, List<(RecordingEntry Entry, DateTimeOffset At)> fired, long dueMs) : TimerEntry
    {
        public long DueMs { get; } = dueMs;

        protected internal override void OnExpired()
        {
            lock (fired)
            {
                fired.Add((this, clock.GetUtcNow()));
            }
        }
    }

    private sealed class ThrowingEntry : TimerEntry
    {
        protected internal override void OnExpired() => throw new InvalidOperationException("boom");
    }

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static long ElapsedMs(DateTimeOffset at) => (long)(at - Start).TotalMilliseconds;

    [Fact]
    public void An_entry_fires_at_its_deadline_and_not_a_millisecond_before()
    {
        var clock = new ManualTimeProvider(Start);
        using var wheel = new HierarchicalTimerWheel(clock);
        var fired = new List<(RecordingEntry, DateTimeOffset)>();
        var entry = new RecordingEntry(clock, fired, 250);
        Assert.True(wheel.TrySchedule(entry, TimeSpan.FromMilliseconds(250)));
        Assert.True(entry.IsScheduled);

        for (int ms = 1; ms < 250; ms++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Empty(fired);
        }

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Single(fired);
        Assert.Equal(250, ElapsedMs(fired[0].Item2));
        Assert.False(entry.IsScheduled);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void An_entry_due_now_is_refused_even_when_the_wheel_levels_lag_behind_the_clock()
    {
        var clock = new ManualTimeProvider(Start);
        using var wheel = new HierarchicalTimerWheel(clock);
        var fired = new List<(RecordingEntry, DateTimeOffset)>();

        // One bucket comes due at 1 s and moves the levels there; then the wheel is quiet while the clock runs on.
        Assert.True(wheel.TrySchedule(new RecordingEntry(clock, fired, 1000), TimeSpan.FromSeconds(1)));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(fired);

        var now = new RecordingEntry(clock, fired, 5000);
        Assert.False(wheel.TrySchedule(now, TimeSpan.Zero));
        Assert.False(now.IsScheduled);
        Assert.Equal(0, wheel.Count);

        var soon = new RecordingEntry(clock, fired, 5001);
        Assert.True(wheel.TrySchedule(soon, TimeSpan.FromMilliseconds(1)));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(5001, ElapsedMs(fired[^1].Item2));
    }

    [Fact]
    public void A_cancelled_entry_never_fires_and_cancel_twice_reports_false()
    {
        var clock = new ManualTimeProvider(Start);
        using var wheel = new HierarchicalTimerWheel(clock);
        var fired = new List<(RecordingEntry, DateTimeOffset)>();
        var entry = new RecordingEntry(clock, fired, 30_000);
        Assert.True(wheel.TrySchedule(entry, TimeSpan.FromSeconds(30)));
        Assert.True(wheel.Cancel(entry));
        Assert.False(wheel.Cancel(entry));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(fired);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void Scheduling_again_moves_the_deadline()
    {
        var clock = new ManualTimeProvider(Start);
        using var wheel = new HierarchicalTimerWheel(clock);
        var fired = new List<(RecordingEntry, DateTimeOffset)>();
        var entry = new RecordingEntry(clock, fired, 0);
        Assert.True(wheel.TrySchedule(entry, TimeSpan.FromSeconds(10)));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(wheel.TrySchedule(entry, TimeSpan.FromSeconds(10)));
        Assert.Equal(1, wheel.Count);
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Empty(fired);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Single(fired);
        Assert.Equal(15_000, ElapsedMs(fired[0].Item2));
    }

    [Fact]
    public void A_deadline_within_the_current_tick_is_not_scheduled()
    {
        var clock = new ManualTimeProvider(Start);
        using var wheel = new HierarchicalTimerWheel(clock);
        var entry = new RecordingEntry(clock, [], 0);
        Assert.False(wheel.TrySchedule(entry, TimeSpan.Zero));
        Assert.False(entry.IsScheduled);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void A_deadline_within_the_current_tick_is_not_scheduled_after_the_wheel_was_idle()
    {
        // The levels' clocks move only when a bucket comes due; an idle wheel's clocks lag behind the time.
        var clock = new ManualTimeProvider(Start);
        using var wheel = new HierarchicalTimerWheel(clock);
        clock.Advance(TimeSpan.FromSeconds(10));
        var entry = new RecordingEntry(clock, [], 10_000);
        Assert.False(wheel.TrySchedule(entry, TimeSpan.Zero));
        Assert.False(entry.IsScheduled);
        Assert.Equal(0, wheel.Count);

        // Moving an entry that waits to a deadline now unschedules it too.
        var moved = new RecordingEntry(clock, [], 10_000);
        Assert.True(wheel.TrySchedule(moved, TimeSpan.FromSeconds(30)));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.False(wheel.TrySchedule(moved, TimeSpan.Zero));
        Assert.False(moved.IsScheduled);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void Thousands_of_entries_across_every_level_fire_once_each_in_deadline_order_within_one_tick()
    {
        var clock = new ManualTimeProvider(Start);
        using var wheel = new HierarchicalTimerWheel(clock);
        var fired = new List<(RecordingEntry Entry, DateTimeOffset At)>();
        var random = new Random(1234);
        var entries = new List<RecordingEntry>();
        for (int i = 0; i < 5000; i++)
        {
            // Up to 13 hours: past the 12-hour visibility cap, so every level of the wheel is used.
            long dueMs = 1 + (long)(Math.Pow(random.NextDouble(), 3) * 13 * 3600_000);
            var entry = new RecordingEntry(clock, fired, dueMs);
            Assert.True(wheel.TrySchedule(entry, TimeSpan.FromMilliseconds(dueMs)));
            entries.Add(entry);
        }

        var cancelled = entries.Where((_, i) => i % 7 == 0).ToHashSet();
        foreach (RecordingEntry entry in cancelled)
        {
            Assert.True(wheel.Cancel(entry));
        }

        // Advance in uneven steps, as a real clock does.
        long now = 0;
        while (now < 13 * 3600_000 + 1000)
        {
            long step = now < 10_000 ? 1 + random.Next(5) : 1 + random.Next(5_000);
            clock.Advance(TimeSpan.FromMilliseconds(step));
            now += step;
            foreach ((RecordingEntry entry, DateTimeOffset at) in fired.Skip(fired.Count - Math.Min(fired.Count, 200)))
            {
                Assert.True(ElapsedMs(at) >= entry.DueMs, $"entry due at {entry.DueMs} fired at {ElapsedMs(at)}");
            }
        }

        Assert.Equal(entries.Count - cancelled.Count, fired.Count);
        Assert.Equal(fired.Count, fired.Select(f => f.Entry).Distinct().Count());
        Assert.DoesNotContain(fired, f => cancelled.Contains(f.Entry));
        Assert.All(fired, f => Assert.True(ElapsedMs(f.At) >= f.Entry.DueMs));
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void Fine_steps_fire_each_entry_in_the_tick_of_its_deadline()
    {
        var clock = new ManualTimeProvider(Start);
        using var wheel = new HierarchicalTimerWheel(clock);
        var fired = new List<(RecordingEntry Entry, DateTimeOffset At)>();
        var random = new Random(99);
        for (int i = 0; i < 500; i++)
        {
            long dueMs = 1 + random.Next(20_000);
            Assert.True(wheel.TrySchedule(new RecordingEntry(clock, fired, dueMs), TimeSpan.FromMilliseconds(dueMs)));
        }

        for (int ms = 0; ms < 20_001; ms++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(500, fired.Count);
        Assert.All(fired, f => Assert.Equal(f.Entry.DueMs, ElapsedMs(f.At)));
    }

    [Fact]
    public void A_failing_callback_does_not_stop_the_others()
    {
        var clock = new ManualTimeProvider(Start);
        var logger = new CapturingLogger();
        using var wheel = new HierarchicalTimerWheel(clock, logger: logger);
        var fired = new List<(RecordingEntry, DateTimeOffset)>();
        Assert.True(wheel.TrySchedule(new ThrowingEntry(), TimeSpan.FromMilliseconds(10)));
        Assert.True(wheel.TrySchedule(new RecordingEntry(clock, fired, 10), TimeSpan.FromMilliseconds(10)));
        clock.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Single(fired);
        Assert.Contains(logger.Entries, e => e.Exception is InvalidOperationException);
    }
}
