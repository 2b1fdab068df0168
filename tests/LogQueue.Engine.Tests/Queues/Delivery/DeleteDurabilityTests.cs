using System.Text;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Journal;
using LogQueue.Engine.Queues.Messages;
using LogQueue.TestSupport;
using Microsoft.Extensions.Options;

namespace LogQueue.Engine.Tests.Queues.Delivery;

public class DeleteDurabilityTests
{
    [Fact]
    public async Task A_delete_of_a_message_already_deleted_is_acknowledged_with_a_journal_record_of_its_own()
    {
        // Two handles of one message: the stale one's delete succeeds (the message is gone either way).
        // Under Always it may be acknowledged only once a delete of the message is durable; the other
        // delete's record may still be waiting for its flush, so the call must append and wait for its own.
        using var dir = new TempDirectory();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var options = Options.Create(new QueueEngineOptions { DataDirectory = dir.Path, Durability = DurabilityMode.Always, SegmentCapacity = 4 << 20 });
        long sequence;
        await using (QueueEngine engine = await QueueEngine.OpenAsync(options, timeProvider: clock))
        {
            await engine.CreateQueueAsync("q");
            sequence = (await engine.SendMessageAsync("q", new SendMessageRequest(Encoding.UTF8.GetBytes("a")))).SequenceNumber;
            ReceivedMessage first = Assert.Single(await engine.ReceiveMessageAsync("q", new ReceiveMessageRequest(1, TimeSpan.FromMinutes(1))));
            engine.ChangeMessageVisibility("q", first.ReceiptHandle, TimeSpan.Zero);
            ReceivedMessage second = Assert.Single(await engine.ReceiveMessageAsync("q", new ReceiveMessageRequest(1, TimeSpan.FromMinutes(1))));
            await engine.DeleteMessageAsync("q", second.ReceiptHandle);
            await engine.DeleteMessageAsync("q", first.ReceiptHandle);
        }

        int deletes = 0;
        string state = Path.Combine(dir.Path, "queues", "q", "state");
        await using (SegmentedLog journal = SegmentedLog.Open(state, new QueueStateJournalOptions().ToLogOptions()))
        {
            foreach (StoredRecord record in journal.ReadFrom(journal.FirstSequence))
            {
                var reader = new JournalRecordReader(record.Body.Span, record.Sequence, state);
                while (reader.TryRead(out JournalEntry entry))
                {
                    if (entry.Kind == JournalEntryKind.Deleted && entry.Sequence <= sequence && sequence < entry.EndSequence)
                    {
                        deletes++;
                    }
                }
            }
        }

        Assert.Equal(2, deletes);
    }
}
