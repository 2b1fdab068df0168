using LogQueue.Engine.Log;

namespace LogQueue.Engine.Queues.Journal;

/// <summary>Applies journal records, read in place from the log, to the state being recovered.</summary>
internal struct JournalReplay(QueueState state, string directory)
{
    public long Records { get; private set; }

    public long Entries { get; private set; }

    public long Bytes { get; private set; }

    public bool Apply(in RecordView record)
    {
        var reader = new JournalRecordReader(record.Body, record.Sequence, directory);
        while (reader.TryRead(out JournalEntry entry))
        {
            state.Apply(in entry);
            Entries++;
        }

        Records++;
        Bytes += record.Body.Length;
        return true;
    }
}
