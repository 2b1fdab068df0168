using LogQueue.Engine.Queues.Journal;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Queues.Journal;

public class CheckpointFileTests
{
    // Golden bytes, CRCs computed with an independent bitwise CRC-32C: the format is on disk in every queue.
    [Fact]
    public async Task Layout_is_frozen()
    {
        using var dir = new TempDirectory("journal");
        var clock = new ManualTimeProvider(); // 2026-01-01T00:00:00Z = 1767225600000 ms
        JournalEntry[] entries = [JournalEntry.Deleted(0, 3), JournalEntry.Deleted(5, 7), JournalEntry.Deleted(10), JournalEntry.Received(4, 2, 1000)];
        await using (var journal = QueueStateJournal.Open(dir.Path, out QueueState live, timeProvider: clock))
        {
            live.Apply(entries);
            await journal.AppendAsync(entries);
            using QueueStateSnapshot snapshot = journal.CaptureSnapshot(live);
            await journal.WriteCheckpointAsync(snapshot);
        }

        byte[] file = File.ReadAllBytes(JournalFiles.CheckpointPath(dir.Path));

        Assert.Equal(
            Convert.FromHexString(
                "4c5143484b504e54" + "01000000" + "40000000" +   // "LQCHKPNT", version 1, header size 64
                "0100000000000000" +                             // journal position 1
                "0300000000000000" +                             // floor 3
                "0200000000000000" + "0100000000000000" +         // 2 ranges, 1 receive state
                "00a8da769b010000" +                             // created 1767225600000
                "ee37d00a" + "65d57d49" +                        // CRC-32C of the body 0x0ad037ee, of bytes [0, 60) 0x497dd565
                "0500000000000000" + "0700000000000000" +         // [5, 7)
                "0a00000000000000" + "0b00000000000000" +         // [10, 11)
                "0400000000000000" + "02000000" + "e803000000000000"), // sequence 4, count 2, first receive 1000
            file);
    }
}
