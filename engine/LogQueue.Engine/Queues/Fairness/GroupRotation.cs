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
/// Memory is counted in runs (sixteen bytes each): the cursor stops indexing at <see cref="MaxRuns"/>, and the
/// log waits its turns until lanes drain. A message visible again always gets a run of its own, past that
/// bound if need be: there are never more of those than messages in flight or delayed.
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
    private int _runs;
    private int _activeLanes;

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

    /// <summary>Whether the cursor must stop indexing.</summary>
    public bool IsFull => _runs >= MaxRuns;

    /// <summary>How many groups have messages waiting.</summary>
    public int GroupCount => _activeLanes;

    /// <summary>How many runs the lanes hold.</summary>
    public int RunCount => _runs;

    /// <summary>Indexes a message the cursor met behind its group's backlog.</summary>
    public void Append(ReadOnlySpan<byte> groupIdUtf8, long sequence)
    {
        GroupLane? lane = _lastLane;
        if (lane is null || lane.IsEmpty || !groupIdUtf8.SequenceEqual(_lastGroupId.AsSpan(0, _lastGroupIdLength)))
        {
            // An empty lane may be idle or dropped: LaneOf puts it back in the rotation.
            lane = LaneOf(groupIdUtf8);
            _lastLane = lane;
            _lastGroupIdLength = Math.Min(groupIdUtf8.Length, _lastGroupId.Length);
            groupIdUtf8[.._lastGroupIdLength].CopyTo(_lastGroupId);
        }

        if (lane.Append(sequence))
        {
            _runs++;
        }
    }

    /// <summary>Puts a message that is visible again at the front of its group, to be the group's next message.</summary>
    public void Prepend(ReadOnlySpan<byte> groupIdUtf8, long sequence)
    {
        LaneOf(groupIdUtf8).Prepend(sequence);
        _runs++;
    }

    /// <summary>Begins the next turn: a lane, or null for the log's turn. <see cref="EndTurn"/> must follow.</summary>
    public GroupLane? BeginTurn() => _turns.Dequeue();

    /// <summary>Takes the next sequence of the lane whose turn it is.</summary>
    public long Take(GroupLane lane)
    {
        long sequence = lane.Take(out bool endedRun);
        if (endedRun)
        {
            _runs--;
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
        _runs = 0;
    }

    // Group ids are ASCII (FifoIdentifier); Latin-1 maps any byte to one char, so the lookup is exact for any
    // stored bytes, and it allocates only for a group that has no lane yet.
    private GroupLane LaneOf(ReadOnlySpan<byte> groupIdUtf8)
    {
        Span<char> chars = stackalloc char[FifoIdentifier.MaxLength];
        chars = chars[..Encoding.Latin1.GetChars(groupIdUtf8[..Math.Min(groupIdUtf8.Length, FifoIdentifier.MaxLength)], chars)];
        if (!_lanesByChars.TryGetValue(chars, out GroupLane? lane))
        {
            lane = new GroupLane(new string(chars));
            _lanes.Add(lane.GroupId, lane);
        }
        else if (!lane.IsEmpty)
        {
            return lane; // In the rotation already.
        }

        // A new or idle lane joins the rotation at the back: a group that comes back waits one round like any other.
        _activeLanes++;
        _turns.Enqueue(lane);
        return lane;
    }
}
