using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Journal;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Queues.Journal;

public class QueueStateJournalTests
{
    // Small segments so that a few hundred entries roll several times; records of at most ~10 entries.
    private static QueueStateJournalOptions SmallOptions(DurabilityMode durability = DurabilityMode.Always) => new()
    {
        Durability = durability,
        SegmentCapacity = 8192,
        MaxRecordSize = 200,
        CheckpointEntryThreshold = 100,
        CheckpointByteThreshold = 4096,
    };

    [Fact]
    public async Task State_survives_a_clean_close_and_reopen()
    {
        using var dir = new TempDirectory("journal");
        var model = new StateModel();
        await using (var journal = QueueStateJournal.Open(dir.Path, out QueueState state, SmallOptions()))
        {
            Assert.Empty(state.Receives);
            for (long s = 0; s < 60; s++)
            {
                JournalEntry received = model.Receive(s, 1000 + s)!.Value;
                await journal.AppendAsync(new[] { received });
            }

            for (long s = 0; s < 20; s += 3)
            {
                model.Receive(s, 0);
                await journal.AppendAsync(new[] { JournalEntry.Received(s, model.Receives[s].ReceiveCount, model.Receives[s].FirstReceiveTimestampMs) });
            }

            model.Delete(10, 30);
            model.Delete(45, 46);
            await journal.AppendAsync(new[] { JournalEntry.Deleted(10, 20), JournalEntry.Deleted(20, 30), JournalEntry.Deleted(45) });
            Assert.True(journal.SegmentCount >= 1);
        }

        await using (var journal = QueueStateJournal.Open(dir.Path, out QueueState state, SmallOptions()))
        {
            model.AssertMatches(state, 100);
            Assert.Equal(0, journal.CheckpointPosition);

            // What replay read counts toward the next checkpoint: 60 + 7 receives, then the three deletes merged into two.
            Assert.Equal(69, journal.EntriesSinceCheckpoint);
        }
    }

    [Fact]
    public async Task TryAppend_then_WaitForDurable_makes_the_entries_durable()
    {
        using var dir = new TempDirectory("journal");
        await using var journal = QueueStateJournal.Open(dir.Path, out _, SmallOptions());

        Assert.True(journal.TryAppend([JournalEntry.Deleted(0, 5), JournalEntry.Received(7, 1, 1)], out long sequence));
        Assert.Equal(0, sequence);
        await journal.WaitForDurableAsync(sequence);

        Assert.True(journal.DurablePosition > sequence);
        Assert.True(journal.TryAppend([], out long unchanged));
        Assert.Equal(sequence, unchanged);
    }

    [Fact]
    public async Task A_batch_larger_than_a_record_is_appended_as_several_records()
    {
        using var dir = new TempDirectory("journal");
        var model = new StateModel();
        JournalEntry[] batch = [.. Enumerable.Range(0, 100).Select(i => model.Receive(i * 2, i)!.Value)];
        await using (var journal = QueueStateJournal.Open(dir.Path, out _, SmallOptions()))
        {
            Assert.True(journal.TryAppend(batch, out long last));
            Assert.True(last > 5, $"expected several records, got up to {last}");
            await journal.WaitForDurableAsync(last);
        }

        await using (var journal = QueueStateJournal.Open(dir.Path, out QueueState state, SmallOptions()))
        {
            model.AssertMatches(state, 300);
        }
    }

    [Fact]
    public async Task Appending_allocates_nothing_per_entry()
    {
        using var dir = new TempDirectory("journal");
        // One segment holds every append below (1,100 x 1,345 bytes): a roll could find no spare ready, and TryAppend would refuse.
        await using var journal = QueueStateJournal.Open(dir.Path, out _, new QueueStateJournalOptions { Durability = DurabilityMode.None, SegmentCapacity = 4L << 20 });
        JournalEntry[] batch = [.. Enumerable.Range(0, 64).Select(i => JournalEntry.Received(i, 1, i))];
        for (int i = 0; i < 100; i++)
        {
            Assert.True(journal.TryAppend(batch, out _));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(journal.TryAppend(batch, out _));
        }

        long perAppend = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
        Assert.True(perAppend < 64, $"{perAppend} bytes allocated per append of 64 entries");
    }

    [Fact]
    public async Task Checkpoint_then_more_entries_reopens_to_the_same_state_as_the_journal_alone()
    {
        using var withCheckpoints = new TempDirectory("journal-cp");
        using var journalOnly = new TempDirectory("journal-only");
        var model = new StateModel();
        var random = new Random(1234);
        await using (var a = QueueStateJournal.Open(withCheckpoints.Path, out QueueState liveA, SmallOptions()))
        await using (var b = QueueStateJournal.Open(journalOnly.Path, out QueueState liveB, SmallOptions()))
        {
            for (int round = 0; round < 40; round++)
            {
                var batch = new List<JournalEntry>();
                for (int i = 0; i < 8; i++)
                {
                    long s = random.Next(0, 400);
                    if (random.Next(3) == 0)
                    {
                        long end = s + random.Next(1, 12);
                        model.Delete(s, end);
                        batch.Add(JournalEntry.Deleted(s, end));
                    }
                    else if (model.Receive(s, round) is JournalEntry received)
                    {
                        batch.Add(received);
                    }
                }

                liveA.Apply(batch.ToArray());
                liveB.Apply(batch.ToArray());
                await a.AppendAsync(batch.ToArray());
                await b.AppendAsync(batch.ToArray());
                if (round % 7 == 3)
                {
                    using QueueStateSnapshot snapshot = a.CaptureSnapshot(liveA);
                    Assert.True(await a.WriteCheckpointAsync(snapshot));
                    Assert.Equal(snapshot.Position, a.CheckpointPosition);
                }
            }

            model.AssertMatches(liveA, 500);
        }

        await using (var a = QueueStateJournal.Open(withCheckpoints.Path, out QueueState stateA, SmallOptions()))
        await using (var b = QueueStateJournal.Open(journalOnly.Path, out QueueState stateB, SmallOptions()))
        {
            Assert.True(a.CheckpointPosition > 0);
            model.AssertMatches(stateA, 500);
            model.AssertMatches(stateB, 500);
        }
    }

    [Fact]
    public async Task Checkpoints_remove_journal_segments_and_keep_the_directory_bounded()
    {
        using var dir = new TempDirectory("journal");
        var model = new StateModel();
        long next = 0;
        long maxBytes = 0, journalBytes = 0;
        int maxSegments = 0;
        await using (var journal = QueueStateJournal.Open(dir.Path, out QueueState live, SmallOptions(DurabilityMode.None)))
        {
            for (int cycle = 0; cycle < 60; cycle++)
            {
                // A queue consumed roughly in order: receive 40 new messages, delete most of the older ones.
                while (!journal.ShouldCheckpoint)
                {
                    var batch = new List<JournalEntry>();
                    for (int i = 0; i < 10; i++, next++)
                    {
                        batch.Add(model.Receive(next, next)!.Value);
                    }

                    for (long s = next - 30; s < next - 20; s++)
                    {
                        if (s >= 0 && s % 17 != 0)
                        {
                            model.Delete(s, s + 1);
                            batch.Add(JournalEntry.Deleted(s));
                        }
                    }

                    live.Apply(batch.ToArray());
                    Assert.True(journal.TryAppend(batch.ToArray(), out _) || await AppendSlowly(journal, batch));
                }

                journalBytes += journal.BytesSinceCheckpoint;
                using QueueStateSnapshot snapshot = journal.CaptureSnapshot(live);
                Assert.True(await journal.WriteCheckpointAsync(snapshot));
                Assert.False(journal.ShouldCheckpoint);
                maxSegments = Math.Max(maxSegments, journal.SegmentCount);
                maxBytes = Math.Max(maxBytes, JournalFiles.DirectoryBytes(dir.Path));
            }

            Assert.True(journalBytes > 10 * 8192, $"the journal should have rolled through many segments; it took {journalBytes} bytes");
        }

        // Segment 0 is long gone, and a handful of 8 KiB files (segments, a spare, the checkpoint) is all that is kept.
        Assert.DoesNotContain(JournalFiles.Segments(dir.Path), p => p.EndsWith("00000000000000000000.seg", StringComparison.Ordinal));
        Assert.InRange(maxSegments, 1, 3);
        Assert.True(maxBytes < 8 * 8192, $"the directory grew to {maxBytes} bytes");

        await using (var journal = QueueStateJournal.Open(dir.Path, out QueueState state, SmallOptions()))
        {
            model.AssertMatches(state, next + 10);
        }
    }

    [Fact]
    public async Task A_corrupt_checkpoint_fails_open_with_StorageCorrupt_naming_the_file()
    {
        using var dir = new TempDirectory("journal");
        await WriteJournalWithCheckpointAsync(dir.Path);
        string checkpoint = JournalFiles.CheckpointPath(dir.Path);

        JournalFiles.FlipByte(checkpoint, new FileInfo(checkpoint).Length - 3); // in the body
        var ex = Assert.Throws<LogQueueException>(() => QueueStateJournal.Open(dir.Path, out _, SmallOptions()));
        Assert.Equal(ErrorCode.StorageCorrupt, ex.Code);
        Assert.Contains(checkpoint, ex.Message, StringComparison.Ordinal);
        Assert.Contains("body CRC", ex.Message, StringComparison.Ordinal);

        // The failed open released the directory: a second try fails the same way, not with StorageInUse.
        var again = Assert.Throws<LogQueueException>(() => QueueStateJournal.Open(dir.Path, out _, SmallOptions()));
        Assert.Equal(ErrorCode.StorageCorrupt, again.Code);

        JournalFiles.FlipByte(checkpoint, new FileInfo(checkpoint).Length - 3);
        JournalFiles.FlipByte(checkpoint, 20); // the covered position, in the header
        ex = Assert.Throws<LogQueueException>(() => QueueStateJournal.Open(dir.Path, out _, SmallOptions()));
        Assert.Equal(ErrorCode.StorageCorrupt, ex.Code);
        Assert.Contains("header CRC", ex.Message, StringComparison.Ordinal);

        File.WriteAllBytes(checkpoint, new byte[10]);
        ex = Assert.Throws<LogQueueException>(() => QueueStateJournal.Open(dir.Path, out _, SmallOptions()));
        Assert.Equal(ErrorCode.StorageCorrupt, ex.Code);
    }

    [Fact]
    public async Task A_missing_checkpoint_after_compaction_is_StorageCorrupt()
    {
        using var dir = new TempDirectory("journal");
        await WriteJournalWithCheckpointAsync(dir.Path);
        File.Delete(JournalFiles.CheckpointPath(dir.Path));

        var ex = Assert.Throws<LogQueueException>(() => QueueStateJournal.Open(dir.Path, out _, SmallOptions()));

        Assert.Equal(ErrorCode.StorageCorrupt, ex.Code);
        Assert.Contains("there is no checkpoint", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_journal_that_starts_after_the_checkpoint_position_is_StorageCorrupt()
    {
        using var dir = new TempDirectory("journal");
        await WriteJournalWithCheckpointAsync(dir.Path);
        string[] segments = JournalFiles.Segments(dir.Path);
        Assert.True(segments.Length >= 2, "the test needs a journal of two segments");
        File.Delete(segments[0]);

        var ex = Assert.Throws<LogQueueException>(() => QueueStateJournal.Open(dir.Path, out _, SmallOptions()));

        Assert.Equal(ErrorCode.StorageCorrupt, ex.Code);
        Assert.Contains("records in between are missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_entry_tag_in_the_journal_fails_open_with_StorageCorrupt()
    {
        using var dir = new TempDirectory("journal");
        await using (var journal = QueueStateJournal.Open(dir.Path, out _, SmallOptions()))
        {
            await journal.AppendAsync(new[] { JournalEntry.Deleted(3) });
        }

        // A record from a future build: a Deleted entry, then a kind this build does not know.
        await JournalFiles.AppendRawAsync(dir.Path, SmallOptions(), Convert.FromHexString("01" + "01" + "0000000000000000" + "0100000000000000" + "7f" + "0000"));

        var ex = Assert.Throws<LogQueueException>(() => QueueStateJournal.Open(dir.Path, out _, SmallOptions()));
        Assert.Equal(ErrorCode.StorageCorrupt, ex.Code);
        Assert.Contains("unknown journal entry tag 0x7f", ex.Message, StringComparison.Ordinal);
        Assert.Contains("record 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_torn_journal_tail_loses_only_the_last_append(bool garbage)
    {
        using var dir = new TempDirectory("journal");
        var acknowledged = new StateModel();
        var everything = new StateModel();
        await using (var journal = QueueStateJournal.Open(dir.Path, out _, SmallOptions()))
        {
            for (long s = 0; s < 30; s++)
            {
                JournalEntry entry = acknowledged.Receive(s, s)!.Value;
                everything.Receive(s, s);
                await journal.AppendAsync(new[] { entry });
            }

            acknowledged.Delete(0, 10);
            everything.Delete(0, 10);
            await journal.AppendAsync(new[] { JournalEntry.Deleted(0, 10) });

            // The append a crash interrupts: written, never acknowledged.
            everything.Delete(10, 20);
            await journal.AppendAsync(new[] { JournalEntry.Deleted(10, 20), JournalEntry.Received(25, 2, 25) });
        }

        string newest = JournalFiles.NewestSegment(dir.Path);
        (int offset, int length) = JournalFiles.LastRecord(newest);
        byte[] damage = new byte[8];
        if (garbage)
        {
            new Random(7).NextBytes(damage);
        }

        JournalFiles.Overwrite(newest, offset + length - damage.Length, damage);

        await using (var journal = QueueStateJournal.Open(dir.Path, out QueueState state, SmallOptions()))
        {
            acknowledged.AssertMatches(state, 40);

            // The journal goes on from the truncation point, and what it appends next survives.
            await journal.AppendAsync(new[] { JournalEntry.Deleted(29) });
            acknowledged.Delete(29, 30);
        }

        await using (var journal = QueueStateJournal.Open(dir.Path, out QueueState state, SmallOptions()))
        {
            acknowledged.AssertMatches(state, 40);
        }

        Assert.NotEqual(everything.Deleted.Count, acknowledged.Deleted.Count);
    }

    [Fact]
    public async Task Garbage_after_the_last_journal_record_loses_nothing()
    {
        using var dir = new TempDirectory("journal");
        var model = new StateModel();
        await using (var journal = QueueStateJournal.Open(dir.Path, out _, SmallOptions()))
        {
            for (long s = 0; s < 12; s++)
            {
                await journal.AppendAsync(new[] { model.Receive(s, s)!.Value, JournalEntry.Deleted(s + 100) });
                model.Delete(s + 100, s + 101);
            }
        }

        string newest = JournalFiles.NewestSegment(dir.Path);
        JournalFiles.Overwrite(newest, JournalFiles.EndOfRecords(newest), [0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03]);

        await using (var journal = QueueStateJournal.Open(dir.Path, out QueueState state, SmallOptions()))
        {
            model.AssertMatches(state, 200);
        }
    }

    [Fact]
    public async Task A_leftover_temporary_checkpoint_is_deleted_and_the_old_checkpoint_used()
    {
        using var dir = new TempDirectory("journal");
        StateModel model = await WriteJournalWithCheckpointAsync(dir.Path);
        string temporary = Path.Combine(dir.Path, QueueStateJournal.CheckpointTemporaryFileName);
        File.WriteAllBytes(temporary, [1, 2, 3]);

        await using var journal = QueueStateJournal.Open(dir.Path, out QueueState state, SmallOptions());

        Assert.False(File.Exists(temporary));
        model.AssertMatches(state, 1000);
    }

    [Fact]
    public async Task An_older_snapshot_does_not_replace_a_newer_checkpoint()
    {
        using var dir = new TempDirectory("journal");
        await using var journal = QueueStateJournal.Open(dir.Path, out QueueState live, SmallOptions());
        using QueueStateSnapshot older = journal.CaptureSnapshot(live);
        live.Apply(JournalEntry.Deleted(0, 3));
        await journal.AppendAsync(new[] { JournalEntry.Deleted(0, 3) });
        using QueueStateSnapshot newer = journal.CaptureSnapshot(live);

        Assert.True(await journal.WriteCheckpointAsync(newer));
        Assert.False(await journal.WriteCheckpointAsync(older));
        Assert.Equal(newer.Position, journal.CheckpointPosition);
    }

    [Fact]
    public async Task The_journal_refuses_work_after_dispose()
    {
        using var dir = new TempDirectory("journal");
        var journal = QueueStateJournal.Open(dir.Path, out QueueState live, SmallOptions());
        await journal.DisposeAsync();
        await journal.DisposeAsync();

        Assert.Equal(ErrorCode.Closed, Assert.Throws<LogQueueException>(() => journal.TryAppend([JournalEntry.Deleted(1)], out _)).Code);
        Assert.Equal(ErrorCode.Closed, Assert.Throws<LogQueueException>(() => journal.CaptureSnapshot(live)).Code);
    }

    // Writes a journal that rolled over several segments, with a checkpoint that removed the first ones
    // and entries after it. Returns the model of what it wrote.
    private static async Task<StateModel> WriteJournalWithCheckpointAsync(string directory)
    {
        var model = new StateModel();
        await using var journal = QueueStateJournal.Open(directory, out QueueState live, SmallOptions(DurabilityMode.None));
        for (long s = 0; s < 900; s++)
        {
            JournalEntry[] batch = s % 4 == 0 ? [JournalEntry.Deleted(s)] : [model.Receive(s, s)!.Value];
            if (s % 4 == 0)
            {
                model.Delete(s, s + 1);
            }

            live.Apply(batch);
            await journal.AppendAsync(batch);
            if (s == 800)
            {
                using QueueStateSnapshot snapshot = journal.CaptureSnapshot(live);
                await journal.WriteCheckpointAsync(snapshot);
            }
        }

        Assert.True(journal.CheckpointPosition > 0);
        Assert.DoesNotContain(JournalFiles.Segments(directory), p => p.EndsWith("00000000000000000000.seg", StringComparison.Ordinal));
        return model;
    }

    private static async Task<bool> AppendSlowly(QueueStateJournal journal, List<JournalEntry> batch)
    {
        await journal.AppendAsync(batch.ToArray());
        return true;
    }
}
