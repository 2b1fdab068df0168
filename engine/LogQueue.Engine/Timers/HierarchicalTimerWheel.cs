using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LogQueue.Engine.Timers;

/// <summary>
/// One timer for the whole engine: visibility timeouts, delayed deliveries and long-poll deadlines all
/// wait here, with O(1) schedule and cancel and no thread, task or OS timer per entry.
/// <para>
/// The shape is Kafka's hierarchical timing wheel. Level 0 has <c>wheelSize</c> buckets of one tick
/// each; level n+1 has buckets as wide as all of level n, and is created only when something is
/// scheduled beyond level n's span. An entry goes into the lowest level whose span covers its deadline.
/// Buckets, not entries, wait in a priority queue ordered by the start of the bucket's tick, and a single
/// <see cref="ITimer"/> from the <see cref="TimeProvider"/> sleeps until the earliest non-empty bucket.
/// When a bucket comes due, the wheel's clock moves to it and each entry is reinserted: it either falls
/// into a finer bucket of a lower level or, once its own tick has come, fires.
/// </para>
/// <para>
/// Worked example, tick 1 ms, 64 buckets, clock at 0. Level 0 spans [0, 64) ms, level 1 (64 ms buckets)
/// spans [0, 4096) ms, level 2 (4,096 ms buckets) spans [0, 262,144) ms.
/// <list type="bullet">
/// <item>A 30 s visibility timeout (due 30,000) goes to level 2, bucket 30,000 / 4,096 = 7, which comes due at 28,672.</item>
/// <item>At 28,672 the entry is reinserted: 30,000 - 28,672 = 1,328 ms away, so level 1 bucket 30,000 / 64 = 468 (due 29,952).</item>
/// <item>At 29,952: 48 ms away, so level 0 bucket 30,000 % 64 = 48, due 30,000; at 30,000 it fires.</item>
/// </list>
/// Three wakeups for one 30 s timer, however many thousands of other entries share those buckets; a
/// cancelled entry (a message deleted before its timeout) is unlinked and costs nothing later.
/// </para>
/// </summary>
public sealed partial class HierarchicalTimerWheel : IDisposable
{
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly Lock _lock = new();
    private readonly Level _root;
    private readonly PriorityQueue<TimerBucket, long> _dueBuckets = new();
    private readonly List<TimerEntry> _expired = [];

    // What the running Advance fires, swapped with _expired under the lock: only one Advance runs at a time.
    private readonly List<TimerEntry> _firing = [];
    private readonly ITimer _reaper;
    private readonly ILogger _logger;
    private long _reaperDue = long.MaxValue;
    private int _count;
    private bool _advancing;
    private bool _disposed;

    /// <summary>Creates a wheel driven by <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock; tests pass a manual one.</param>
    /// <param name="tickMilliseconds">The resolution of level 0. Default 1 ms.</param>
    /// <param name="wheelSize">Buckets per level. Default 64.</param>
    /// <param name="logger">Where failures of expiry callbacks are reported.</param>
    public HierarchicalTimerWheel(TimeProvider? timeProvider = null, int tickMilliseconds = 1, int wheelSize = 64, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tickMilliseconds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(wheelSize, 2);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _startTimestamp = _time.GetTimestamp();
        _root = new Level(tickMilliseconds, wheelSize, 0);
        _reaper = _time.CreateTimer(static state => ((HierarchicalTimerWheel)state!).Advance(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Milliseconds since the wheel was created, on its clock.</summary>
    public long NowMilliseconds => (long)_time.GetElapsedTime(_startTimestamp).TotalMilliseconds;

    /// <summary>Entries waiting.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Schedules <paramref name="entry"/> to expire after <paramref name="delay"/>. Returns false, scheduling
    /// nothing, when the deadline falls within the current tick: the caller acts on it at once, so no
    /// callback ever runs inside this call. An entry already scheduled is moved to the new deadline.
    /// </summary>
    public bool TrySchedule(TimerEntry entry, TimeSpan delay) => TrySchedule(entry, delay, NowMilliseconds);

    /// <summary>
    /// <see cref="TrySchedule(TimerEntry, TimeSpan)"/> with <paramref name="now"/> read from
    /// <see cref="NowMilliseconds"/> by the caller: a receive scheduling a whole batch reads the clock once, not
    /// once per message.
    /// </summary>
    public bool TrySchedule(TimerEntry entry, TimeSpan delay, long now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        long due = now + (long)Math.Ceiling(Math.Max(0, delay.TotalMilliseconds));
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (entry.Bucket is not null)
            {
                entry.Bucket.Remove(entry);
                _count--;
            }

            // The current tick is the one holding now. The levels' clocks move only when a bucket comes due,
            // so on a wheel that was idle they lag behind now, and Insert alone would file an entry due now in
            // an overdue bucket: it would fire later, on the reaper, instead of being acted on at once.
            entry.DueMilliseconds = due;
            if (due < now - (now % _root.Tick) + _root.Tick || !Insert(_root, entry))
            {
                return false;
            }

            _count++;
            return true;
        }
    }

    /// <summary>Removes a waiting entry. Returns false when it was not scheduled (it fired, or was cancelled).</summary>
    public bool Cancel(TimerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            if (entry.Bucket is null)
            {
                return false;
            }

            entry.Bucket.Remove(entry);
            _count--;
            return true;
        }
    }

    /// <summary>Stops the wheel; waiting entries never fire.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _reaper.Dispose();
    }

    // Fires everything that is due. Runs on the reaper timer; a call while another runs returns at once
    // (the running one collects again after each round of callbacks), so callbacks never overlap.
    private void Advance()
    {
        lock (_lock)
        {
            if (_advancing)
            {
                return; // The running call loops until nothing is due, so it covers this one.
            }

            _advancing = true;
        }

        while (true)
        {
            List<TimerEntry> expired;
            lock (_lock)
            {
                if (_disposed)
                {
                    _advancing = false;
                    return;
                }

                CollectDue(NowMilliseconds);
                if (_expired.Count == 0)
                {
                    _advancing = false;
                    ArmReaper();
                    return;
                }

                expired = _firing;
                expired.AddRange(_expired);
                _expired.Clear();
                _count -= expired.Count;
            }

            foreach (TimerEntry entry in expired)
            {
                try
                {
                    entry.OnExpired();
                }
                catch (Exception ex)
                {
                    LogCallbackFailed(ex, entry.GetType().Name);
                }
            }

            expired.Clear();
        }
    }

    private void CollectDue(long now)
    {
        while (_dueBuckets.TryPeek(out TimerBucket? bucket, out long expiration) && expiration <= now)
        {
            _dueBuckets.Dequeue();
            if (bucket.Expiration != expiration)
            {
                continue; // A stale queue position: the bucket was drained and re-queued since.
            }

            _root.AdvanceClock(expiration);
            bucket.Drain(this, static (wheel, entry) =>
            {
                if (!wheel.Insert(wheel._root, entry))
                {
                    wheel._expired.Add(entry);
                }
            });
        }
    }

    // Places the entry in the lowest level that spans its deadline. False: it is due within the current tick.
    private bool Insert(Level level, TimerEntry entry)
    {
        long due = entry.DueMilliseconds;
        while (true)
        {
            if (due < level.CurrentTime + level.Tick)
            {
                return false;
            }

            if (due < level.CurrentTime + level.Span)
            {
                long virtualTick = due / level.Tick;
                TimerBucket bucket = level.Buckets[(int)(virtualTick % level.Buckets.Length)];
                bucket.Add(entry);
                long expiration = virtualTick * level.Tick;
                if (bucket.Expiration != expiration)
                {
                    bucket.Expiration = expiration;
                    _dueBuckets.Enqueue(bucket, expiration);
                    if (expiration < _reaperDue && !_advancing)
                    {
                        ArmReaper();
                    }
                }

                return true;
            }

            level = level.Overflow ??= new Level(level.Span, level.Buckets.Length, level.CurrentTime);
        }
    }

    private void ArmReaper()
    {
        if (!_dueBuckets.TryPeek(out _, out long expiration))
        {
            _reaperDue = long.MaxValue;
            _reaper.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        _reaperDue = expiration;
        _reaper.Change(TimeSpan.FromMilliseconds(Math.Max(0, expiration - NowMilliseconds)), Timeout.InfiniteTimeSpan);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A timer callback of {EntryType} failed")]
    private partial void LogCallbackFailed(Exception exception, string entryType);

    private sealed class Level
    {
        public Level(long tick, int size, long now)
        {
            Tick = tick;
            Span = tick * size;
            CurrentTime = now - (now % tick);
            Buckets = new TimerBucket[size];
            for (int i = 0; i < size; i++)
            {
                Buckets[i] = new TimerBucket();
            }
        }

        public long Tick { get; }

        public long Span { get; }

        public long CurrentTime { get; private set; }

        public TimerBucket[] Buckets { get; }

        public Level? Overflow { get; set; }

        public void AdvanceClock(long time)
        {
            if (time >= CurrentTime + Tick)
            {
                CurrentTime = time - (time % Tick);
                Overflow?.AdvanceClock(CurrentTime);
            }
        }
    }
}
