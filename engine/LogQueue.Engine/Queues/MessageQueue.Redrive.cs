using System.Buffers;
using System.Runtime.CompilerServices;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Delivery;
using LogQueue.Engine.Queues.Journal;
using LogQueue.Engine.Queues.Messages;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Queues;

internal sealed partial class MessageQueue
{
    /// <summary>
    /// Moves messages that used up their receives to the dead-letter queue: append there first, then delete
    /// here, so a crash between the two leaves the message in both queues (at least once), never in neither.
    /// The message keeps its body, attributes and original sent time, and learns its source queue.
    /// </summary>
    private async ValueTask MoveToDeadLetterQueueAsync(List<ReceiveCandidate> deadLetters, QueueSettings settings, CancellationToken cancellationToken)
    {
        MessageQueue? target = FindDeadLetterQueue(settings);
        var progress = new StrongBox<int>();
        try
        {
            if (target is not null)
            {
                await CopyDeadLettersAsync(deadLetters, target, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            int moved = progress.Value;
            var journal = new JournalEntry[moved];
            lock (_lock)
            {
                for (int i = 0; i < deadLetters.Count; i++)
                {
                    long sequence = deadLetters[i].Sequence;
                    if (i < moved)
                    {
                        DeleteLocked(sequence);
                        journal[i] = JournalEntry.Deleted(sequence, sequence + 1);
                    }
                    else if (_moving.Remove(sequence))
                    {
                        _returned.Enqueue(sequence, sequence);
                    }
                }
            }

            if (moved > 0)
            {
                await _journal.AppendAsync(journal, CancellationToken.None).ConfigureAwait(false);
                LogMovedToDeadLetterQueue(Name, moved, target!.Name);
            }
        }
    }

    // The dead-letter queue of the redrive policy in force, or null (logged) when it does not exist.
    private MessageQueue? FindDeadLetterQueue(QueueSettings settings)
    {
        MessageQueue? target = settings.DeadLetterTargetQueue is null ? null : _engine.FindQueue(settings.DeadLetterTargetQueue);
        if (target is null)
        {
            LogDeadLetterQueueMissing(Name, settings.DeadLetterTargetQueue);
        }

        return target;
    }

    /// <summary>
    /// Appends the dead letters to <paramref name="target"/> in order, counting each in <paramref name="moved"/> once it is
    /// there; a failure stops the copy and is logged. The caller deletes the moved ones here and puts the rest back, on
    /// whichever delivery path (standard or FIFO) it keeps them.
    /// </summary>
    private async ValueTask CopyDeadLettersAsync(List<ReceiveCandidate> deadLetters, MessageQueue target, StrongBox<int> moved, CancellationToken cancellationToken)
    {
        try
        {
            for (; moved.Value < deadLetters.Count; moved.Value++)
            {
                long sequence = deadLetters[moved.Value].Sequence;
                if (_log.TryRead(sequence, out StoredRecord? record))
                {
                    await MoveRecordAsync(record, new MessageId(Incarnation, sequence), target, Name, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is LogQueueException or IOException or OperationCanceledException)
        {
            LogDeadLetterMoveFailed(ex, Name, target.Name);
        }
    }

    /// <summary>Appends a copy of <paramref name="record"/> to <paramref name="target"/>, marking where it came from.</summary>
    /// <remarks>
    /// As in SQS, the message keeps its id through moves: the first id it had (<paramref name="messageId"/>,
    /// unless the record already carries an original id from an earlier move) is stored with it.
    /// </remarks>
    internal static ValueTask<long> MoveRecordAsync(StoredRecord record, MessageId messageId, MessageQueue target, string? sourceQueue, CancellationToken cancellationToken)
    {
        var writer = new ArrayBufferWriter<byte>(record.Attributes.Length + 160);
        string originalId = MessageAttributesCodec.DecodeEngineAttributes(record.Attributes.Span).OriginalMessageId ?? messageId.ToString();
        var engine = new MessageEngineAttributes(
            DeadLetterSourceQueue: sourceQueue is null ? null : QueueName.Parse(sourceQueue),
            OriginalMessageId: originalId);
        MessageAttributesCodec.ReplaceEngineAttributes(record.Attributes.Span, in engine, writer);
        return target.AppendMovedAsync(record, writer.WrittenMemory, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: its dead-letter queue {Target} does not exist; messages over maxReceiveCount stay")]
    private partial void LogDeadLetterQueueMissing(string queue, string? target);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue {Queue}: moving messages to dead-letter queue {Target} failed; they stay and are tried again")]
    private partial void LogDeadLetterMoveFailed(Exception exception, string queue, string? target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue}: moved {Count} message(s) to dead-letter queue {Target}")]
    private partial void LogMovedToDeadLetterQueue(string queue, int count, string target);
}
