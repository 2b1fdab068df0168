using System.Runtime.InteropServices;
using System.Text;
using LogQueue.Engine.Log;

namespace LogQueue.Engine.Queues.Deduplication;

internal sealed partial class DeduplicationWindow
{
    /// <summary>
    /// Refills the window from the log: the sends of the last five minutes, deleted or not. The log stamps a record's
    /// send time under its append lock, so send times grow with sequences: the window starts in the oldest segment
    /// whose newest send is young enough (<see cref="SegmentedLog.FirstSegmentAppendedSince"/>, one record read per
    /// older segment), and one forward pass from there, in send order as the expiry queue wants it, reads five
    /// minutes of sends and a part of one segment more. Moved records and tombstones are skipped (a moved record
    /// keeps its older send time). A key met twice (possible only after a scope change or a clock step) keeps its
    /// first record: either is an original of the key.
    /// </summary>
    private void RebuildLocked(DeduplicationScope scope)
    {
        _scope = scope;
        _sequences.Clear();
        _sendOrder.Clear();
        _sendRuns.Clear();
        _newestRun = default;
        _collisions.Clear();
        long cutoff = NowMs() - LengthMs;
        var scan = new RebuildScan(this, scope, cutoff);
        _log.ReadRange(_log.FirstSegmentAppendedSince(cutoff + 1, NotSends), int.MaxValue, ref scan, static (in RecordView record, ref RebuildScan s) => s.Add(in record));
        _highWater = _sequences.Count;
    }

    private void AddScannedLocked(long sequence, ulong hash, long timestamp, DeduplicationScope scope)
    {
        ref long slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_sequences, hash, out bool exists);
        if (!exists)
        {
            slot = sequence;
            AppendToSendOrderLocked(hash, timestamp);
        }
        else if (ReadKey(slot, scope) is { } firstKey && ReadKey(sequence, scope) is { } key && firstKey != key)
        {
            _collisions.TryAdd(key, new WindowEntry(sequence, timestamp));
        }
    }

    // The scope changed (SetQueueAttributes): the same sends make different keys now. Rebuild from the log, and
    // carry the claims of sends in progress over under their new hashes.
    private void RescopeLocked(DeduplicationScope scope)
    {
        PendingKey[] pending = [.. _pending.Values];
        _pending.Clear();
        RebuildLocked(scope);
        foreach (PendingKey claim in pending)
        {
            DeduplicationKey key = claim.Key.For(scope, _seed);
            if (!_pending.TryAdd(key.Hash, new PendingKey(key)))
            {
                // Two claims became one key: the second send stores its copy (the scope changed between the two),
                // and whoever waited for it asks again.
                claim.Done?.TrySetResult();
                continue;
            }

            if (claim.Done is not null)
            {
                // Waiters hold the old task: complete it so that they ask again under the new scope.
                claim.Done.TrySetResult();
            }
        }
    }

    // Whether the record at sequence was stored under this key. A record that cannot be read (it cannot be removed
    // while in the window, but should it be) counts as a match: the 64-bit hash then decides.
    private bool RecordHasKey(long sequence, in DeduplicationKey key)
    {
        var check = new KeyCheck(key);
        return !_log.TryRead(sequence, ref check, static (in RecordView record, ref KeyCheck c) => c.Matches = c.Key.Matches(record.GroupIdUtf8, record.DeduplicationIdUtf8))
            || check.Matches;
    }

    // The strings of a stored key: only for the rare hash collision met while rebuilding.
    private (string? GroupId, string DeduplicationId)? ReadKey(long sequence, DeduplicationScope scope)
    {
        (string? GroupId, string DeduplicationId)? key = null;
        _log.TryRead(sequence, ref key, static (in RecordView record, ref (string? GroupId, string DeduplicationId)? k) =>
            k = (record.GroupIdUtf8.IsEmpty ? null : Encoding.ASCII.GetString(record.GroupIdUtf8), Encoding.ASCII.GetString(record.DeduplicationIdUtf8)));
        return key is { } read && scope != DeduplicationScope.MessageGroup ? (null, read.DeduplicationId) : key;
    }

    private struct KeyCheck(DeduplicationKey key)
    {
        public DeduplicationKey Key { get; } = key;

        public bool Matches { get; set; }
    }

    /// <summary>The rebuild's pass over the log: adds every send younger than the cutoff, read in place.</summary>
    private readonly struct RebuildScan(DeduplicationWindow window, DeduplicationScope scope, long cutoff)
    {
        public bool Add(in RecordView record)
        {
            if ((record.Flags & NotSends) == 0 && !record.DeduplicationIdUtf8.IsEmpty && record.Timestamp > cutoff)
            {
                ulong hash = DeduplicationKey.HashOf(scope, record.GroupIdUtf8, record.DeduplicationIdUtf8, window._seed);
                window.AddScannedLocked(record.Sequence, hash, record.Timestamp, scope);
            }

            return true;
        }
    }
}
