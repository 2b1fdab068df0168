using FsCheck;
using FsCheck.Fluent;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Journal;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Queues.Journal;

public class QueueStateJournalPropertyTests
{
    public enum OpKind
    {
        Receive,
        Delete,
        Append,
        Checkpoint,
        Reopen,
    }

    /// <summary>One step of a random history. Receives and deletes gather into a batch that Append (or a checkpoint, a reopen, the end) appends.</summary>
    public readonly record struct Op(OpKind Kind, long Sequence = 0, int Length = 0)
    {
        public override string ToString() => Kind switch
        {
            OpKind.Receive => $"R{Sequence}",
            OpKind.Delete => Length == 1 ? $"D{Sequence}" : $"D{Sequence}+{Length}",
            _ => Kind.ToString(),
        };
    }

    [Fact]
    public void Recovered_state_matches_a_model_across_random_deletes_receives_checkpoints_and_reopens()
    {
        Gen<Op> op = Gen.Frequency(
            (8, Gen.Choose(0, 160).Select(s => new Op(OpKind.Receive, s))),
            (4, Gen.Choose(0, 160).Select(s => new Op(OpKind.Delete, s, 1))),
            (2, Gen.Choose(0, 160).SelectMany(s => Gen.Choose(1, 40), (s, n) => new Op(OpKind.Delete, s, n))),
            (4, Gen.Constant(new Op(OpKind.Append))),
            (1, Gen.Constant(new Op(OpKind.Checkpoint))),
            (1, Gen.Constant(new Op(OpKind.Reopen))));
        Arbitrary<Op[]> histories = Arb.From(op.ArrayOf(), ShrinkHistory);

        Property property = Prop.ForAll(histories, (Op[] history) => RunAsync(history));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(30).WithEndSize(100), property);
    }

    private static IEnumerable<Op[]> ShrinkHistory(Op[] history)
    {
        if (history.Length > 1)
        {
            yield return history[..(history.Length / 2)];
            yield return history[(history.Length / 2)..];
        }

        for (int i = 0; i < history.Length; i++)
        {
            yield return [.. history[..i], .. history[(i + 1)..]];
        }
    }

    private static async Task RunAsync(Op[] history)
    {
        // Tiny records and segments: batches split across records, the journal rolls and checkpoints remove segments.
        var options = new QueueStateJournalOptions
        {
            Durability = DurabilityMode.None,
            SegmentCapacity = 4096,
            MaxRecordSize = 128,
        };
        using var dir = new TempDirectory("journal-prop");
        var model = new StateModel();
        var batch = new List<JournalEntry>();
        QueueStateJournal journal = QueueStateJournal.Open(dir.Path, out QueueState live, options);
        try
        {
            for (int step = 0; step < history.Length; step++)
            {
                Op op = history[step];
                switch (op.Kind)
                {
                    case OpKind.Receive:
                        if (model.Receive(op.Sequence, step) is JournalEntry received)
                        {
                            batch.Add(received);
                        }

                        break;
                    case OpKind.Delete:
                        model.Delete(op.Sequence, op.Sequence + op.Length);
                        batch.Add(JournalEntry.Deleted(op.Sequence, op.Sequence + op.Length));
                        break;
                    case OpKind.Append:
                        await AppendAsync(journal, live, batch, step);
                        break;
                    case OpKind.Checkpoint:
                        await AppendAsync(journal, live, batch, step);
                        using (QueueStateSnapshot snapshot = journal.CaptureSnapshot(live))
                        {
                            Assert.True(await journal.WriteCheckpointAsync(snapshot));
                        }

                        break;
                    case OpKind.Reopen:
                        await AppendAsync(journal, live, batch, step);
                        await journal.DisposeAsync();
                        journal = QueueStateJournal.Open(dir.Path, out live, options);
                        model.AssertMatches(live, 256);
                        break;
                }
            }

            await AppendAsync(journal, live, batch, 0);
            model.AssertMatches(live, 256);
            await journal.DisposeAsync();
            journal = QueueStateJournal.Open(dir.Path, out QueueState recovered, options);
            model.AssertMatches(recovered, 256);
        }
        finally
        {
            await journal.DisposeAsync();
        }
    }

    // Applies the batch to the live state first, then journals it, as a queue does; both append paths get used.
    private static async Task AppendAsync(QueueStateJournal journal, QueueState live, List<JournalEntry> batch, int step)
    {
        JournalEntry[] entries = [.. batch];
        batch.Clear();
        live.Apply(entries);
        if (step % 2 == 0 || !journal.TryAppend(entries, out _))
        {
            await journal.AppendAsync(entries);
        }
    }
}
