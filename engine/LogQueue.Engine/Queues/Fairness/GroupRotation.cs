using System.Text;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Queues.Fairness;

/// <summary>
/// The fair share of a standard queue: messages that carry a group id, indexed by group once the cursor has
/// passed them, and the round-robin that serves them. Every group with messages waiting has a
/// <see cref="GroupLane"/>; the turns go round the lanes and the log itself (the cursor, which serves
/// ungrouped messages and indexes grouped ones), one message per turn, so a group with a backlog of a million
/// gets one message in every round, as does a group with one.
/// <para>
/// Worked example: the log holds A1..A5 B1 C1 A6 u1 (u ungrouped). The turns start as [log]. The log's turn
/// indexes A1..A5 (one run), B1, C1, A6 (a second run of A) and stops at u1, which it serves; the lanes it made
/// joined behind it, and it goes to the back (<see cref="EndLoneLogTurn"/>): turns are [A B C log]. The next
/// receives take A1 B1 C1, then the log's turn (the next ungrouped message, or more indexing), then A2 A3 ...
/// alone once B and C are empty.
/// </para>
/// <para>
/// Memory is counted in runs (sixteen bytes each): the cursor stops indexing at <see cref="MaxRuns"/> runs of
/// its own, and the log waits its turns until lanes drain. Runs of messages visible again are counted apart,
/// outside that bound: the bound is for what the cursor indexes, and there are never more of those than
/// messages in flight or delayed. Many visible again at once (a busy group's consumers timed out) are put in
/// front of their groups highest first (<see cref="PrependVisibleAgain"/>), so they come out lowest first and
/// consecutive ones share a run.
/// </para>
/// </summary>
internal sealed class GroupRotation
{
    /// <summary>
    /// The default bound of the index: 65,536 runs, one MiB of runs. A backlog sent in bursts is a handful of
    /// runs; only groups interleaved message by message need one run per message.
    /// </summary>
    public const int DefaultMaxRuns = 65_536;

    /// <summary>
    /// How many lanes of groups with nothing waiting are kept for reuse. Many groups with a message now and then
    /// (a tenant per group) empty and refill their lanes all the time: keeping the lane (about 200 bytes with its
    /// key) spares an allocation per message; beyond this many, an emptied lane is dropped.
    /// </summary>
    public const int MaxIdleLanes = 4_096;

    private readonly Dictionary<string, GroupLane> _lanes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupLane>.AlternateLookup<ReadOnlySpan<char>> _lanesByChars;

    // The turns, in order; null is the log's turn, which is always there once.
    private readonly Queue<GroupLane?> _turns = new();
    private int _indexedRuns;
    private int _visibleAgainRuns;
    private int _activeLanes;

    // Messages visible again set aside by SetAsideVisibleAgain, in the order they came (lowest first).
    private readonly List<(GroupLane Lane, long Sequence)> _setAside = [];

    // The lane the cursor appended to last and its group id's bytes: a backlog sent in a burst is one group
    // record after record, and comparing up to 128 bytes is cheaper than decoding and hashing them.
    private readonly byte[] _lastGroupId = new byte[FifoIdentifier.MaxLength];
    private int _lastGroupIdLength;
    private GroupLane? _lastLane;

    public GroupRotation(int maxRuns = DefaultMaxRuns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRuns);
        MaxRuns = maxRuns;
        _lanesByChars = _lanes.GetAlternateLookup<ReadOnlySpan<char>>();
        _turns.Enqueue(null);
    }

    /// <summary>How many runs the cursor may index before it waits for lanes to drain.</summary>
    public int MaxRuns { get; }

    /// <summary>Whether no group has a message waiting: the log is the only turn.</summary>
    public bool IsEmpty => _activeLanes == 0;

    /// <summary>Whether the cursor must stop indexing: the runs it made, not those of messages visible again, reached <see cref="MaxRuns"/>.</summary>
    public bool IsFull => _indexedRuns >= MaxRuns;

    /// <summary>How many groups have messages waiting.</summary>
    public int GroupCount => _activeLanes;

    /// <summary>How many runs the lanes hold, the cursor's and those of messages visible again.</summary>
    public int RunCount => _indexedRuns + _visibleAgainRuns;

    /// <summary>Indexes a message the cursor met behind its group's backlog.</summary>
    public void Append(ReadOnlySpan<byte> groupIdUtf8, long sequence)
    {
        GroupLane? lane = _lastLane;
        if (lane is null || lane.IsEmpty || !groupIdUtf8.SequenceEqual(_lastGroupId.AsSpan(0, _lastGroupIdLength)))
        {
            // An empty lane may be idle or dropped: it goes back in the rotation.
            lane = LaneOf(groupIdUtf8);
            JoinIfEmpty(lane);
            _lastLane = lane;
            _lastGroupIdLength = Math.Min(groupIdUtf8.Length, _lastGroupId.Length);
            groupIdUtf8[.._lastGroupIdLength].CopyTo(_lastGroupId);
        }

        if (lane.Append(sequence))
        {
            _indexedRuns++;
        }
    }

    /// <summary>Puts a message that is visible again at the front of its group, to be the group's next message.</summary>
    public void Prepend(ReadOnlySpan<byte> groupIdUtf8, long sequence) => Prepend(LaneOf(groupIdUtf8), sequence);

    /// <summary>
    /// Sets aside a message visible again, one of several found together lowest first, for
    /// <see cref="PrependVisibleAgain"/>: prepended one by one as found, they would come out highest first.
    /// </summary>
    public void SetAsideVisibleAgain(ReadOnlySpan<byte> groupIdUtf8, long sequence) => _setAside.Add((LaneOf(groupIdUtf8), sequence));

    /// <summary>Puts the messages set aside at the front of their groups, highest first, so that each group's come out lowest first.</summary>
    public void PrependVisibleAgain()
    {
        for (int i = _setAside.Count - 1; i >= 0; i--)
        {
            Prepend(_setAside[i].Lane, _setAside[i].Sequence);
        }

        _setAside.Clear();
    }

    /// <summary>Begins the next turn: a lane, or null for the log's turn. <see cref="EndTurn"/> must follow.</summary>
    public GroupLane? BeginTurn() => _turns.Dequeue();

    /// <summary>Takes the next sequence of the lane whose turn it is.</summary>
    public long Take(GroupLane lane)
    {
        bool visibleAgain = lane.VisibleAgainRunCount > 0; // Those runs are the first ones.
        long sequence = lane.Take(out bool endedRun);
        if (endedRun && visibleAgain)
        {
            _visibleAgainRuns--;
        }
        else if (endedRun)
        {
            _indexedRuns--;
        }

        return sequence;
    }

    /// <summary>
    /// Ends a turn of the log that ran alone, before any group had a lane (the cursor's path of an ungrouped
    /// queue): groups it met joined the rotation behind it, and the log goes behind them, as after any other
    /// turn. Without this it would be next again, taking two turns in a row.
    /// </summary>
    public void EndLoneLogTurn()
    {
        if (_turns.Count > 1 && _turns.Peek() is null)
        {
            _turns.Enqueue(_turns.Dequeue());
        }
    }

    /// <summary>Ends a turn: the log and lanes that still hold messages go to the back; an empty lane leaves the rotation.</summary>
    public void EndTurn(GroupLane? lane)
    {
        if (lane is null || !lane.IsEmpty)
        {
            _turns.Enqueue(lane);
            return;
        }

        _activeLanes--;
        if (_lanes.Count - _activeLanes > MaxIdleLanes)
        {
            _lanes.Remove(lane.GroupId);
        }
    }

    /// <summary>Forgets every lane (a purge deleted what they held).</summary>
    public void Clear()
    {
        _lanes.Clear();
        _activeLanes = 0;
        _lastLane = null;
        _turns.Clear();
        _turns.Enqueue(null);
        _indexedRuns = 0;
        _visibleAgainRuns = 0;
        _setAside.Clear();
    }

    private void Prepend(GroupLane lane, long sequence)
    {
        JoinIfEmpty(lane);
        if (lane.Prepend(sequence))
        {
            _visibleAgainRuns++;
        }
    }

    // Group ids are ASCII (FifoIdentifier); Latin-1 maps any byte to one char, so the lookup is exact for any
    // stored bytes, and it allocates only for a group that has no lane yet. The lane is not in the rotation
    // until JoinIfEmpty puts it there (a lane set aside must join once, when it gets its first message).
    private GroupLane LaneOf(ReadOnlySpan<byte> groupIdUtf8)
    {
        Span<char> chars = stackalloc char[FifoIdentifier.MaxLength];
        chars = chars[..Encoding.Latin1.GetChars(groupIdUtf8[..Math.Min(groupIdUtf8.Length, FifoIdentifier.MaxLength)], chars)];
        if (!_lanesByChars.TryGetValue(chars, out GroupLane? lane))
        {
            lane = new GroupLane(new string(chars));
            _lanes.Add(lane.GroupId, lane);
        }

        return lane;
    }

    // A new or idle lane about to get a message joins the rotation at the back: a group that comes back waits one
    // round like any other.
    private void JoinIfEmpty(GroupLane lane)
    {
        if (lane.IsEmpty)
        {
            _activeLanes++;
            _turns.Enqueue(lane);
        }
    }
}
