using System.Text;
using LogQueue.Engine.Log;

namespace LogQueue.Engine.Queues.Deduplication;

internal sealed partial class DeduplicationWindow
{
    /// <summary>
    /// Refills the window from the log: the sends of the last five minutes, newest first, deleted or not. The log
    /// stamps a record's send time under its append lock, so send times grow with sequences and the scan stops at the
    /// first send older than the window: it reads five minutes of sends and no more. Moved records and tombstones are
    /// skipped, not stopped at (a moved record keeps its older send time). A key met twice keeps its newest record:
    /// the older one was out of its window when the newer was stored.
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
        var newestFirst = new List<(ulong Hash, long Timestamp)>();
        var scan = new ScannedRecord(scope, _seed);
        for (long sequence = _log.NextSequence - 1; sequence >= _log.FirstSequence; sequence--)
        {
            if (!_log.TryRead(sequence, ref scan, static (in RecordView record, ref ScannedRecord s) => s.Read(in record)))
            {
                break;
            }

            if ((scan.Flags & NotSends) != 0 || !scan.HasId)
            {
                continue;
            }

            if (scan.Timestamp <= cutoff)
            {
                break;
            }

            if (!_sequences.TryGetValue(scan.Hash, out long newer))
            {
                _sequences.Add(scan.Hash, sequence);
                newestFirst.Add((scan.Hash, scan.Timestamp));
            }
            else if (ReadKey(newer, scope) is { } newerKey && ReadKey(sequence, scope) is { } key && newerKey != key)
            {
                _collisions.TryAdd(key, new WindowEntry(sequence, scan.Timestamp));
            }
        }

        for (int i = newestFirst.Count - 1; i >= 0; i--)
        {
            AppendToSendOrderLocked(newestFirst[i].Hash, newestFirst[i].Timestamp);
        }

        _highWater = _sequences.Count;
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

    /// <summary>What the rebuild needs of one record, read in place.</summary>
    private struct ScannedRecord(DeduplicationScope scope, ulong seed)
    {
        public RecordFlags Flags { get; private set; }

        public long Timestamp { get; private set; }

        public bool HasId { get; private set; }

        public ulong Hash { get; private set; }

        public void Read(in RecordView record)
        {
            Flags = record.Flags;
            Timestamp = record.Timestamp;
            HasId = !record.DeduplicationIdUtf8.IsEmpty;
            Hash = HasId ? DeduplicationKey.HashOf(scope, record.GroupIdUtf8, record.DeduplicationIdUtf8, seed) : 0;
        }
    }
}
