using LogQueue.Engine.Acks;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Queues.Journal;

public sealed partial class QueueStateJournal
{
    /// <summary>
    /// Serializes <paramref name="state"/> together with the current journal <see cref="Position"/>. Call it
    /// under the lock that guards the state, so that every entry below the position is reflected in the
    /// state; then write the snapshot outside the lock with <see cref="WriteCheckpointAsync"/>.
    /// </summary>
    public QueueStateSnapshot CaptureSnapshot(QueueState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return CaptureSnapshot(state.Deletes, state.Receives);
    }

    /// <summary>
    /// Serializes a queue's delete tracker and receive states (receive states of deleted sequences are left
    /// out) together with the current journal <see cref="Position"/>; see <see cref="CaptureSnapshot(QueueState)"/>.
    /// </summary>
    public QueueStateSnapshot CaptureSnapshot(AckTracker deletes, IReadOnlyCollection<KeyValuePair<long, ReceiveState>> receives)
    {
        ArgumentNullException.ThrowIfNull(deletes);
        ArgumentNullException.ThrowIfNull(receives);
        ThrowIfDisposed();
        return CheckpointFile.Capture(
            _log.NextSequence,
            deletes,
            receives,
            _time.GetUtcNow().ToUnixTimeMilliseconds(),
            Volatile.Read(ref _entriesAppended),
            Volatile.Read(ref _bytesAppended));
    }

    /// <summary>
    /// Writes <paramref name="snapshot"/> as the journal's checkpoint and then removes the journal segments
    /// it makes unnecessary. In order: every journal record below the snapshot's position is flushed (so the
    /// journal can never end before a checkpoint after a crash); the checkpoint is written to a temporary
    /// file, fsynced, renamed over <see cref="CheckpointFileName"/> and the directory fsynced; only then are
    /// the segments wholly below the position removed. Blocking file I/O: run it off the hot path. One
    /// checkpoint runs at a time; the caller keeps ownership of the snapshot.
    /// </summary>
    /// <returns>False, having written nothing, when a checkpoint at a later position was already written.</returns>
    /// <exception cref="LogQueueException"><see cref="ErrorCode.StorageFailure"/> when the file cannot be written; the previous checkpoint stays in force.</exception>
    public async Task<bool> WriteCheckpointAsync(QueueStateSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await _checkpointGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            long position = snapshot.Position;
            if (position < _checkpointPosition)
            {
                return false;
            }

            if (position > _log.NextSequence)
            {
                throw new ArgumentException($"The snapshot's position {position} is beyond the journal's end {_log.NextSequence}: it was not captured from this journal.", nameof(snapshot));
            }

            if (position > 0)
            {
                await _log.WaitForDurableAsync(position - 1, cancellationToken).ConfigureAwait(false);
            }

            string path = Path.Combine(_directory, CheckpointFileName);
            string temporary = Path.Combine(_directory, CheckpointTemporaryFileName);
            try
            {
                CheckpointFile.Write(path, temporary, snapshot);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TryDelete(temporary);
                LogCheckpointFailed(ex, path);
                throw new LogQueueException(ErrorCode.StorageFailure, $"Could not write the checkpoint '{path}': {ex.Message}. The previous checkpoint stays in force.", ex);
            }

            Volatile.Write(ref _checkpointPosition, position);
            Volatile.Write(ref _checkpointLength, snapshot.Length);
            Volatile.Write(ref _entriesAtCheckpoint, snapshot.EntriesAppended);
            Volatile.Write(ref _bytesAtCheckpoint, snapshot.BytesAppended);

            int removed = _log.RemoveSegmentsBefore(position);
            LogCheckpointWritten(path, position, snapshot.Length, snapshot.DeletedRangeCount, snapshot.ReceiveStateCount, removed);
            return true;
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Open deletes it next time.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Wrote checkpoint {Path} at journal position {Position}: {Bytes} bytes, {Ranges} deleted range(s), {Received} receive state(s); removed {Segments} journal segment(s)")]
    private partial void LogCheckpointWritten(string path, long position, int bytes, long ranges, long received, int segments);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write checkpoint {Path}")]
    private partial void LogCheckpointFailed(Exception exception, string path);
}
