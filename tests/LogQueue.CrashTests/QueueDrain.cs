using System.Globalization;
using LogQueue.CrashHelper;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.CrashTests;

/// <summary>Empties a queue of a reopened engine, checking every body on the way.</summary>
internal static class QueueDrain
{
    // Longer than any drain: a message drained once cannot come back within the drain by timing out.
    private static readonly TimeSpan DrainVisibility = TimeSpan.FromMinutes(10);

    // Every engine call is local and at most one fdatasync away; this only keeps a hung call from hanging the run.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private const int Batch = 100;
    private const int MaxRounds = 100_000;

    /// <summary>
    /// Receives every visible message (long visibility timeout, no wait) and deletes it, until a receive comes
    /// back empty; then checks the queue reports nothing left. Fails on a body no producer sent, on a message
    /// delivered twice within the drain, and on a delete that does not succeed.
    /// </summary>
    public static async Task<IReadOnlyList<DrainedMessage>> ReceiveAndDeleteAllAsync(QueueEngine engine, string queue, int maxPadding)
    {
        var drained = new List<DrainedMessage>();
        // By sequence, not id: a message moved twice to a dead-letter queue (a move is at least once across a
        // crash) is two stored copies that rightly share the message id.
        var seen = new HashSet<long>();
        for (int round = 0; ; round++)
        {
            Assert.True(round < MaxRounds, $"Draining '{queue}' took more than {MaxRounds} receives.");
            IReadOnlyList<ReceivedMessage> messages = await ReceiveAsync(engine, queue);
            if (messages.Count == 0)
            {
                break;
            }

            foreach (ReceivedMessage message in messages)
            {
                if (!seen.Add(message.SequenceNumber))
                {
                    Assert.Fail($"'{queue}' delivered {message.MessageId} (sequence {message.SequenceNumber}) twice within one drain, though its visibility timeout is {DrainVisibility.TotalMinutes:0} minutes.");
                }

                drained.Add(Check(queue, message, maxPadding));
            }

            IReadOnlyList<BatchResultEntry<bool>> results = await engine.DeleteMessageBatchAsync(
                queue,
                [.. messages.Select((m, i) => (i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle))]).WaitAsync(CallTimeout);
            if (results.FirstOrDefault(r => !r.Succeeded) is { } failed)
            {
                Assert.Fail($"Deleting a drained message of '{queue}' failed: {failed.Error} {failed.ErrorMessage}");
            }
        }

        AssertEmpty(engine, queue);
        return drained;
    }

    /// <summary>
    /// For a queue with a redrive policy: receives every visible message and releases it at once (visibility
    /// timeout 0), again and again, until a receive comes back empty, which happens once every message has
    /// used up its receives and moved to the dead-letter queue. Returns every delivery, in order.
    /// </summary>
    public static async Task<IReadOnlyList<DrainedMessage>> ReceiveUntilDeadLetteredAsync(QueueEngine engine, string queue, int maxPadding)
    {
        var deliveries = new List<DrainedMessage>();
        for (int round = 0; ; round++)
        {
            Assert.True(round < MaxRounds, $"Receiving '{queue}' until every message moved to its dead-letter queue took more than {MaxRounds} receives.");
            IReadOnlyList<ReceivedMessage> messages = await ReceiveAsync(engine, queue);
            if (messages.Count == 0)
            {
                break;
            }

            if (messages.GroupBy(m => m.MessageId).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                Assert.Fail($"One receive of '{queue}' returned {twice.Key} {twice.Count()} times.");
            }

            deliveries.AddRange(messages.Select(m => Check(queue, m, maxPadding)));
            IReadOnlyList<BatchResultEntry<bool>> results = engine.ChangeMessageVisibilityBatch(
                queue,
                [.. messages.Select((m, i) => (i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle, TimeSpan.Zero))]);
            if (results.FirstOrDefault(r => !r.Succeeded) is { } failed)
            {
                Assert.Fail($"Releasing a message of '{queue}' failed: {failed.Error} {failed.ErrorMessage}");
            }
        }

        AssertEmpty(engine, queue);
        return deliveries;
    }

    private static async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(QueueEngine engine, string queue) =>
        await engine.ReceiveMessageAsync(queue, new ReceiveMessageRequest(Batch, DrainVisibility, TimeSpan.Zero)).WaitAsync(CallTimeout);

    private static DrainedMessage Check(string queue, ReceivedMessage message, int maxPadding)
    {
        if (QueueMessageBody.Check(message.Body.Span, maxPadding, out QueueMessageIdentity identity) is { } problem)
        {
            Assert.Fail($"'{queue}' delivered {message.MessageId} (receive count {message.ApproximateReceiveCount}), which no producer sent: {problem}.");
        }

        return new DrainedMessage(message.MessageId, identity, message.ApproximateReceiveCount, message.ApproximateFirstReceiveTimestamp, message.DeadLetterSourceQueue);
    }

    private static void AssertEmpty(QueueEngine engine, string queue)
    {
        IReadOnlyDictionary<string, string> counts = engine.GetQueueAttributes(
            queue,
            ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]);
        Assert.True(
            counts.Values.All(v => v == "0"),
            $"A receive of '{queue}' came back empty, but the queue counts {string.Join(", ", counts.Select(p => $"{p.Key}={p.Value}"))}.");
    }
}
