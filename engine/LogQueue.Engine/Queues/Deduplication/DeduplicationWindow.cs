using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LogQueue.Engine.Log;

namespace LogQueue.Engine.Queues.Deduplication;

/// <summary>
/// The send-side deduplication of one FIFO queue: which keys were sent in the last five minutes, and the sequence of
/// the message each one stored. A duplicate send stores nothing and answers with the original's sequence.
/// <para>
/// The log is the durable record of the window: every send's record carries its group and deduplication id and its
/// send time, the queue keeps the segments that hold the last five minutes of sends (also when their messages are
/// deleted), and <see cref="Open"/> rebuilds the map from those records. Nothing else is written.
/// </para>
/// <para>
/// Memory: a key is its 64-bit hash, mapped to the original's sequence (28 bytes in the dictionary), plus the hash
/// once more in send order for expiry (8 bytes; send times are kept per millisecond, not per key): about 36 bytes a
/// key, up to twice that while the dictionary's spare capacity is unused. Strings would cost two objects and 100
/// bytes or more. A hash hit is confirmed
/// by comparing the ids stored in the original's record; two different keys with one hash (about one pair in 2^64)
/// go to a small map keyed by the strings. Entries expire in send order, a few at every claim and the rest at the
/// queue's housekeeping, so the map holds at most five minutes of sends.
/// </para>
/// <para>
/// Concurrency: a send claims its key under the window's lock (no I/O under it), appends outside it, then commits
/// the key with the sequence it got, or releases it if the append failed. A second send of a key that is claimed
/// but not yet committed waits for the first and asks again: it gets the first's sequence, or the key if the first
/// failed. Sends of different keys meet only in the short lock.
/// </para>
/// </summary>
internal sealed partial class DeduplicationWindow
{
    /// <summary>How long a deduplication id is remembered after its send (SQS's five minutes).</summary>
    public static readonly TimeSpan Length = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Records that are not sends to this queue and so not in its window: a moved message (dead letter or redrive)
    /// keeps its id and its original send time but was never sent here; a tombstone holds no message.
    /// </summary>
    public const RecordFlags NotSends = RecordFlags.Moved | RecordFlags.Tombstone;

    // Below this many entries the maps are never trimmed: the saving would not pay for the rehash.
    private const int TrimFloor = 4096;

    private static readonly long LengthMs = (long)Length.TotalMilliseconds;

    // Batches up to this many entries find their repeats in stack memory.
    private const int MaxStackEntries = 256;

    private readonly Lock _lock = new();
    private readonly SegmentedLog _log;
    private readonly TimeProvider _time;
    private readonly Func<DeduplicationScope> _scopeInForce;

    // Random per window (and so per open): which keys collide cannot be predicted from outside.
    private readonly ulong _seed = unchecked((ulong)Random.Shared.NextInt64() ^ ((ulong)Random.Shared.NextInt64() << 1));

    private readonly Dictionary<ulong, long> _sequences = [];

    // The keys of _sequences in send order, and their send times as runs (one per millisecond that saw sends), so
    // that a key costs 8 bytes here rather than a time of its own. The newest run is open (_newestRun): sends of the
    // same millisecond join it.
    private readonly Queue<ulong> _sendOrder = new();
    private readonly Queue<SendRun> _sendRuns = new();
    private SendRun _newestRun;
    private readonly Dictionary<ulong, PendingKey> _pending = [];
    private readonly Dictionary<(string? GroupId, string DeduplicationId), WindowEntry> _collisions = [];
    private DeduplicationScope _scope;
    private int _highWater;

    private DeduplicationWindow(SegmentedLog log, Func<DeduplicationScope> scopeInForce, TimeProvider time)
    {
        _log = log;
        _scopeInForce = scopeInForce;
        _time = time;
    }

    /// <summary>Keys remembered now (for tests and metrics): committed, not yet expired.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sequences.Count + _collisions.Count;
            }
        }
    }

    /// <summary>
    /// Opens the window of a FIFO queue over its log: the keys of every send of the last five minutes still in the
    /// log, deleted or not. <paramref name="scopeInForce"/> reads the queue's DeduplicationScope, which an attribute
    /// change may switch; the window rebuilds itself for the new scope when it does.
    /// </summary>
    public static DeduplicationWindow Open(SegmentedLog log, Func<DeduplicationScope> scopeInForce, TimeProvider time)
    {
        var window = new DeduplicationWindow(log, scopeInForce, time);
        lock (window._lock)
        {
            window.RebuildLocked(scopeInForce());
        }

        return window;
    }

    /// <summary>The key of a send (hashing runs outside the window's lock).</summary>
    public DeduplicationKey KeyFor(DeduplicationScope scope, string? groupId, string deduplicationId) =>
        DeduplicationKey.Create(scope, groupId, deduplicationId, _seed);

    /// <summary>Claims the key of one send; see <see cref="DeduplicationClaim"/>.</summary>
    public DeduplicationClaim Claim(ref DeduplicationKey key)
    {
        lock (_lock)
        {
            PrepareLocked();
            Rekey(ref key);
            if (TryFindLocked(in key, out long sequence))
            {
                return DeduplicationClaim.Duplicate(sequence);
            }

            ref PendingKey pending = ref CollectionsMarshal.GetValueRefOrAddDefault(_pending, key.Hash, out bool exists);
            if (exists)
            {
                // The same key being stored by another send, or (rarely) another key with the same hash: either way,
                // ask again once that send is done.
                return DeduplicationClaim.Wait(pending.Waiters().Task);
            }

            pending = new PendingKey(key);
            return DeduplicationClaim.Owner;
        }
    }

    /// <summary>
    /// Claims the keys of a batch at once: each entry is a duplicate of a stored message, of an earlier entry of the
    /// batch, or the caller's to store. If any key is being stored by another send, nothing is claimed and the task
    /// to wait for is returned (holding some keys while waiting for others could deadlock two batches).
    /// </summary>
    public Task? ClaimBatch(Span<DeduplicationKey> keys, Span<DeduplicationClaim> claims)
    {
        // Repeats within the batch are found before the lock, in one pass: the lock is shared by every send of the queue.
        int[]? rented = keys.Length > MaxStackEntries ? ArrayPool<int>.Shared.Rent(keys.Length) : null;
        Span<int> earlier = rented is null ? stackalloc int[keys.Length] : rented.AsSpan(0, keys.Length);
        try
        {
            FindEarlierEntries(keys, earlier);
            lock (_lock)
            {
                PrepareLocked();
                if (RekeyAll(keys))
                {
                    FindEarlierEntries(keys, earlier); // The scope changed since the keys were made (rare).
                }

                for (int k = 0; k < keys.Length; k++)
                {
                    claims[k] = DeduplicationClaim.Owner;
                    if (earlier[k] >= 0)
                    {
                        claims[k] = DeduplicationClaim.Earlier(earlier[k]);
                    }
                    else if (TryFindLocked(in keys[k], out long sequence))
                    {
                        claims[k] = DeduplicationClaim.Duplicate(sequence);
                    }
                    else if (_pending.ContainsKey(keys[k].Hash))
                    {
                        return CollectionsMarshal.GetValueRefOrNullRef(_pending, keys[k].Hash).Waiters().Task;
                    }
                }

                for (int k = 0; k < keys.Length; k++)
                {
                    // TryAdd: two different keys of one batch may share a hash. The second is stored all the same (its
                    // commit finds the first and keeps it by its strings; a concurrent send of either waits on the one slot).
                    if (claims[k].IsOwner)
                    {
                        _pending.TryAdd(keys[k].Hash, new PendingKey(keys[k]));
                    }
                }

                return null;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Records that the owned <paramref name="keys"/> were stored at consecutive sequences from <paramref name="firstSequence"/>.</summary>
    public void Commit(ReadOnlySpan<DeduplicationKey> keys, long firstSequence)
    {
        lock (_lock)
        {
            long now = NowMs();
            for (int k = 0; k < keys.Length; k++)
            {
                DeduplicationKey key = keys[k];
                Rekey(ref key);
                ReleaseLocked(in key);
                AddLocked(in key, firstSequence + k, now);
            }

            _highWater = Math.Max(_highWater, _sequences.Count);
        }
    }

    /// <summary>Gives the owned <paramref name="keys"/> back after a failed append: the next send of each may store it.</summary>
    public void Release(ReadOnlySpan<DeduplicationKey> keys)
    {
        lock (_lock)
        {
            foreach (DeduplicationKey owned in keys)
            {
                DeduplicationKey key = owned;
                Rekey(ref key);
                ReleaseLocked(in key);
            }
        }
    }

    /// <summary>Forgets keys older than the window, and gives memory back after a burst (the queue's housekeeping).</summary>
    public void Expire()
    {
        lock (_lock)
        {
            ExpireLocked(NowMs());
            if (_highWater > TrimFloor && _sequences.Count < _highWater / 4)
            {
                _sequences.TrimExcess();
                _sendOrder.TrimExcess();
                _sendRuns.TrimExcess();
                _highWater = _sequences.Count;
            }
        }
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void PrepareLocked()
    {
        DeduplicationScope scope = _scopeInForce();
        if (scope != _scope)
        {
            RescopeLocked(scope);
        }

        ExpireLocked(NowMs());
    }

    // A key hashed under a scope that changed since: hash it again (rare, only around an attribute change).
    private void Rekey(ref DeduplicationKey key)
    {
        if (key.Scope != _scope)
        {
            key = key.For(_scope, _seed);
        }
    }

    private bool RekeyAll(Span<DeduplicationKey> keys)
    {
        bool changed = false;
        for (int k = 0; k < keys.Length; k++)
        {
            changed |= keys[k].Scope != _scope;
            Rekey(ref keys[k]);
        }

        return changed;
    }

    /// <summary>
    /// For each entry, the index of the first earlier entry with the same key, or -1: one pass over an open-addressed
    /// table of entry indexes by hash (linear probing in a table at least twice the batch), instead of comparing every
    /// pair, which for a batch of 100 was 4,950 comparisons.
    /// </summary>
    private static void FindEarlierEntries(ReadOnlySpan<DeduplicationKey> keys, Span<int> earlier)
    {
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, keys.Length * 2));
        int[]? rented = size > MaxStackEntries * 2 ? ArrayPool<int>.Shared.Rent(size) : null;
        Span<int> slots = rented is null ? stackalloc int[size] : rented.AsSpan(0, size);
        slots.Fill(-1);
        int mask = size - 1;
        for (int k = 0; k < keys.Length; k++)
        {
            earlier[k] = -1;
            int slot = (int)(keys[k].Hash & (ulong)mask);
            while (slots[slot] >= 0)
            {
                int j = slots[slot];
                if (keys[j].Hash == keys[k].Hash && keys[j].SameIds(in keys[k]))
                {
                    earlier[k] = j;
                    break;
                }

                slot = (slot + 1) & mask;
            }

            if (earlier[k] < 0)
            {
                slots[slot] = k;
            }
        }

        if (rented is not null)
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    private bool TryFindLocked(in DeduplicationKey key, out long sequence)
    {
        if (_sequences.TryGetValue(key.Hash, out sequence) && RecordHasKey(sequence, in key))
        {
            return true;
        }

        if (_collisions.Count > 0 && _collisions.TryGetValue((key.KeyGroupId, key.DeduplicationId), out WindowEntry entry))
        {
            sequence = entry.Sequence;
            return true;
        }

        sequence = -1;
        return false;
    }

    private void AddLocked(in DeduplicationKey key, long sequence, long timestamp)
    {
        // One probe of the (large) map: the claim's miss on the same slot moments ago usually left it in cache.
        ref long slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_sequences, key.Hash, out bool exists);
        if (!exists)
        {
            slot = sequence;
            AppendToSendOrderLocked(key.Hash, timestamp);
        }
        else if (slot != sequence && !RecordHasKey(slot, in key))
        {
            // Another key with the same hash is in the window: this one is remembered by its strings.
            _collisions.TryAdd((key.KeyGroupId, key.DeduplicationId), new WindowEntry(sequence, timestamp));
        }
    }

    private void ReleaseLocked(in DeduplicationKey key)
    {
        ref PendingKey pending = ref CollectionsMarshal.GetValueRefOrNullRef(_pending, key.Hash);
        if (!Unsafe.IsNullRef(ref pending) && pending.Key.SameIds(in key))
        {
            pending.Done?.TrySetResult();
            _pending.Remove(key.Hash);
        }
    }

    private void AppendToSendOrderLocked(ulong hash, long timestamp)
    {
        _sendOrder.Enqueue(hash);
        if (_newestRun.Count > 0 && _newestRun.Timestamp == timestamp)
        {
            _newestRun = _newestRun with { Count = _newestRun.Count + 1 };
            return;
        }

        if (_newestRun.Count > 0)
        {
            _sendRuns.Enqueue(_newestRun);
        }

        _newestRun = new SendRun(timestamp, 1);
    }

    // Amortised: each key is dequeued once. Keys were added in send order with the clock of their send, so the first
    // run still inside the window ends the walk. (Should the clock step back, a few keys live a little longer than
    // five minutes: a longer window, never a shorter one.) A key has one place in the send order at a time: it is
    // added only when absent from the map, and leaves the map only here, so the dequeued hash is always its own.
    private void ExpireLocked(long now)
    {
        long cutoff = now - LengthMs;
        while (_sendRuns.TryPeek(out SendRun oldest) && oldest.Timestamp <= cutoff)
        {
            _sendRuns.Dequeue();
            ForgetOldestLocked(oldest.Count);
        }

        if (_sendRuns.Count == 0 && _newestRun.Count > 0 && _newestRun.Timestamp <= cutoff)
        {
            ForgetOldestLocked(_newestRun.Count);
            _newestRun = default;
        }

        if (_collisions.Count > 0)
        {
            foreach (KeyValuePair<(string? GroupId, string DeduplicationId), WindowEntry> collision in _collisions)
            {
                if (collision.Value.Timestamp <= cutoff)
                {
                    _collisions.Remove(collision.Key);
                }
            }
        }
    }

    private void ForgetOldestLocked(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _sequences.Remove(_sendOrder.Dequeue());
        }
    }

    /// <summary>A key remembered by its strings (after a hash collision): the original's sequence and send time (Unix ms).</summary>
    private readonly record struct WindowEntry(long Sequence, long Timestamp);

    /// <summary>Consecutive keys of the send order sent in one millisecond (Unix ms).</summary>
    private readonly record struct SendRun(long Timestamp, int Count);

    /// <summary>A key claimed by a send that has not committed or released it yet, and who waits for it.</summary>
    private struct PendingKey(DeduplicationKey key)
    {
        public DeduplicationKey Key { get; } = key;

        public TaskCompletionSource? Done { get; private set; }

        // Created only when a second send of the key arrives: the uncontended send allocates nothing here.
        public TaskCompletionSource Waiters() => Done ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
