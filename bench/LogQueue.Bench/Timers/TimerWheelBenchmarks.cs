using BenchmarkDotNet.Attributes;
using LogQueue.Engine.Timers;

namespace LogQueue.Bench.Timers;

/// <summary>
/// The engine's <see cref="HierarchicalTimerWheel"/> with a population of 100,000 entries, the order of a
/// busy queue's in-flight messages, on a manual clock. Figures are per entry.
/// <list type="bullet">
/// <item>Schedule, Cancel, Reschedule: timeouts spread over 1 to 60 s, like visibility timeouts; most
/// in-flight messages are deleted (cancelled) or extended (rescheduled) long before they fire.</item>
/// <item>ScheduleThenCancel against the baseline, one <see cref="Timer"/> per entry created and disposed:
/// what the wheel saves over an OS-backed timer per message.</item>
/// <item>ScheduleAndFire: deadlines spread over 1 ms to 10 s, then the clock walks forward through every
/// wakeup the wheel asks for (about one per millisecond) until all have fired, cascades between levels
/// included.</item>
/// </list>
/// The baseline's timers never fire (the run is far shorter than their timeouts); firing one timer per
/// entry on real time is not measured.
/// </summary>
[Config(typeof(TimerBenchmarkConfig))]
[MemoryDiagnoser]
public class TimerWheelBenchmarks
{
    private const int Entries = 100_000;

    private static readonly TimerCallback Ignore = static _ => { };

    private readonly FireCount _fired = new();
    private ManualTimeProvider _clock = null!;
    private HierarchicalTimerWheel _wheel = null!;
    private CountingEntry[] _entries = [];
    private TimeSpan[] _timeouts = [];
    private TimeSpan[] _laterTimeouts = [];
    private TimeSpan[] _fireDelays = [];
    private Timer[] _timers = [];

    [GlobalSetup]
    public void Setup()
    {
        _clock = new ManualTimeProvider();
        _wheel = new HierarchicalTimerWheel(_clock);
        var random = new Random(20260101);
        _entries = [.. Enumerable.Range(0, Entries).Select(_ => new CountingEntry(_fired))];
        _timeouts = [.. Enumerable.Range(0, Entries).Select(_ => TimeSpan.FromMilliseconds(random.Next(1_000, 60_000)))];
        _laterTimeouts = [.. Enumerable.Range(0, Entries).Select(_ => TimeSpan.FromMilliseconds(random.Next(1_000, 60_000)))];
        _fireDelays = [.. Enumerable.Range(0, Entries).Select(_ => TimeSpan.FromMilliseconds(random.Next(1, 10_000)))];
        _timers = new Timer[Entries];
    }

    [GlobalCleanup]
    public void Cleanup() => _wheel.Dispose();

    [IterationSetup(Targets = [nameof(Cancel), nameof(Reschedule)])]
    public void ScheduleAll() => ScheduleAll(_timeouts);

    [IterationCleanup(Targets = [nameof(Schedule), nameof(Reschedule)])]
    public void CancelAll()
    {
        foreach (CountingEntry entry in _entries)
        {
            _wheel.Cancel(entry);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Entries)]
    public void SystemTimerScheduleThenCancel()
    {
        for (int i = 0; i < _timers.Length; i++)
        {
            _timers[i] = new Timer(Ignore, null, _timeouts[i], Timeout.InfiniteTimeSpan);
        }

        foreach (Timer timer in _timers)
        {
            timer.Dispose();
        }
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public void ScheduleThenCancel()
    {
        ScheduleAll(_timeouts);
        CancelAll();
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public void Schedule() => ScheduleAll(_timeouts);

    [Benchmark(OperationsPerInvoke = Entries)]
    public void Cancel() => CancelAll();

    [Benchmark(OperationsPerInvoke = Entries)]
    public void Reschedule() => ScheduleAll(_laterTimeouts);

    [Benchmark(OperationsPerInvoke = Entries)]
    public void ScheduleAndFire()
    {
        _fired.Value = 0;
        for (int i = 0; i < _entries.Length; i++)
        {
            if (!_wheel.TrySchedule(_entries[i], _fireDelays[i]))
            {
                _fired.Value++; // Due within the current tick: the caller acts at once, as the queue does.
            }
        }

        _clock.Advance(TimeSpan.FromSeconds(10));
        if (_fired.Value != Entries || _wheel.Count != 0)
        {
            throw new InvalidOperationException($"{_fired.Value} of {Entries} entries fired; {_wheel.Count} still wait.");
        }
    }

    private void ScheduleAll(TimeSpan[] delays)
    {
        for (int i = 0; i < _entries.Length; i++)
        {
            if (!_wheel.TrySchedule(_entries[i], delays[i]))
            {
                throw new InvalidOperationException("A timeout of a second or more fell within the current tick.");
            }
        }
    }

    private sealed class FireCount
    {
        public int Value { get; set; }
    }

    private sealed class CountingEntry(FireCount fired) : TimerEntry
    {
        protected internal override void OnExpired() => fired.Value++;
    }
}
