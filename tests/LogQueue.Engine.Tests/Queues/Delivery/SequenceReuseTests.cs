using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Journal;
using LogQueue.Engine.Queues.Messages;
using LogQueue.TestSupport;
using Microsoft.Extensions.Options;

namespace LogQueue.Engine.Tests.Queues.Delivery;

public class SequenceReuseTests
{
    [Fact]
    public async Task Journal_state_for_sequences_the_log_lost_never_applies_to_new_messages()
    {
        using var dir = new TempDirectory();
        var options = Options.Create(new QueueEngineOptions { DataDirectory = dir.Path, SegmentCapacity = 4 << 20 });
        await using (QueueEngine engine = await QueueEngine.OpenAsync(options))
        {
            await engine.CreateQueueAsync("q");
        }

        // What a crash can leave: the journal durable with a purge of [0, 10) and a receive count for 12,
        // while the log lost those (never acknowledged) messages and holds nothing.
        string state = Path.Combine(dir.Path, "queues", "q", "state");
        await using (QueueStateJournal journal = QueueStateJournal.Open(state, out _))
        {
            await journal.AppendAsync(new[] { JournalEntry.Deleted(0, 10), JournalEntry.Received(12, 3, 1) });
        }

        var logger = new CapturingLoggerFactory();
        await using (QueueEngine engine = await QueueEngine.OpenAsync(options, logger))
        {
            SendMessageResult sent = await engine.SendMessageAsync("q", new SendMessageRequest(new byte[] { 42 }));
            Assert.Equal(13, sent.SequenceNumber);
            IReadOnlyList<ReceivedMessage> got = await engine.ReceiveMessageAsync("q", new ReceiveMessageRequest(10));
            ReceivedMessage message = Assert.Single(got);
            Assert.Equal(sent.MessageId, message.MessageId);
            Assert.Equal(1, message.ApproximateReceiveCount);
            Assert.Contains(logger.Entries, e => e.Message.Contains("tombstones", StringComparison.Ordinal));
        }

        // And after another restart the padding holds: nothing but the real message comes back.
        await using (QueueEngine engine = await QueueEngine.OpenAsync(options))
        {
            ReceivedMessage message = Assert.Single(await engine.ReceiveMessageAsync("q", new ReceiveMessageRequest(10)));
            Assert.Equal(13, message.SequenceNumber);
        }
    }
}
