namespace LogQueue.Engine.Queues.Fairness;

/// <summary>
/// The messages of one group that the cursor has passed and not yet handed out, as a ring of
/// <see cref="SequenceRun"/>s: sequences the cursor met are appended at the back, lowest first, and messages
/// visible again (a visibility timeout ran out, a delay elapsed) go to the front, so that they are the
/// group's next message. One object per group (kept for reuse a while after it empties), never one per message.
/// </summary>
internal sealed class GroupLane(string groupId)
{
    private const int InitialCapacity = 4;

    // An emptied lane keeps a buffer up to this many runs (4 KiB); a larger one, grown by a burst of
    // interleaved or redelivered messages, is dropped, or thousands of idle lanes kept for reuse could each
    // hold the megabytes their busiest moment needed.
    private const int MaxIdleCapacity = 256;

    private SequenceRun[] _runs = new SequenceRun[InitialCapacity];
    private int _head;
    private int _count;

    // Runs that Prepend began: always the first ones, since the cursor appends behind them.
    private int _visibleAgainRuns;

    /// <summary>The group's id, as the records carry it.</summary>
    public string GroupId { get; } = groupId;

    /// <summary>Whether it holds no message.</summary>
    public bool IsEmpty => _count == 0;

    /// <summary>How many runs it holds (what its memory is counted in).</summary>
    public int RunCount => _count;

    /// <summary>How many of its runs hold messages visible again (they are the first ones).</summary>
    public int VisibleAgainRunCount => _visibleAgainRuns;

    /// <summary>How many runs its buffer has room for (what it costs while idle).</summary>
    public int Capacity => _runs.Length;

    /// <summary>Appends a sequence the cursor met; true when it began a run, false when it extended the last one.</summary>
    public bool Append(long sequence)
    {
        if (_count > 0)
        {
            ref SequenceRun last = ref _runs[(_head + _count - 1) & (_runs.Length - 1)];
            if (last.Start + last.Count == sequence && last.Count < int.MaxValue)
            {
                last.Count++;
                return false;
            }
        }

        GrowIfFull();
        _runs[(_head + _count) & (_runs.Length - 1)] = new SequenceRun(sequence, 1);
        _count++;
        return true;
    }

    /// <summary>
    /// Puts a message that is visible again in front of the group's backlog; true when it began a run, false when
    /// it extended the first one (it is the sequence just before it). Messages visible again together are
    /// prepended highest first, so that consecutive ones share a run and come out lowest first.
    /// </summary>
    public bool Prepend(long sequence)
    {
        if (_count > 0)
        {
            ref SequenceRun first = ref _runs[_head];
            if (first.Start - 1 == sequence && first.Count < int.MaxValue)
            {
                first.Start--;
                first.Count++;
                return false;
            }
        }

        GrowIfFull();
        _head = (_head - 1) & (_runs.Length - 1);
        _runs[_head] = new SequenceRun(sequence, 1);
        _count++;
        _visibleAgainRuns++;
        return true;
    }

    /// <summary>
    /// Takes the group's next sequence; <paramref name="endedRun"/> says whether that emptied a run (one of the
    /// <see cref="VisibleAgainRunCount"/> first ones if that was not zero).
    /// </summary>
    public long Take(out bool endedRun)
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("The lane is empty.");
        }

        ref SequenceRun first = ref _runs[_head];
        long sequence = first.Start;
        first.Start++;
        first.Count--;
        endedRun = first.Count == 0;
        if (endedRun)
        {
            _head = (_head + 1) & (_runs.Length - 1);
            _count--;
            if (_visibleAgainRuns > 0)
            {
                _visibleAgainRuns--;
            }

            if (_count == 0 && _runs.Length > MaxIdleCapacity)
            {
                _runs = new SequenceRun[InitialCapacity];
                _head = 0;
            }
        }

        return sequence;
    }

    // Capacity stays a power of two, so positions wrap with a mask.
    private void GrowIfFull()
    {
        if (_count < _runs.Length)
        {
            return;
        }

        var grown = new SequenceRun[_runs.Length * 2];
        for (int i = 0; i < _count; i++)
        {
            grown[i] = _runs[(_head + i) & (_runs.Length - 1)];
        }

        _runs = grown;
        _head = 0;
    }
}
