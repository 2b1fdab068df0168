using System.Globalization;
using LogQueue.CrashHelper;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using LogQueue.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LogQueue.CrashTests;

/// <summary>
/// Checks a data directory left behind by killed helper <c>queue</c> runs: reopens the engine in-process,
/// drains the queue (receive with a long visibility timeout, delete everything) and proves that
/// <list type="bullet">
/// <item>every acknowledged send is delivered in the drain, with its own body, unless it was deleted: its delete acknowledged, or under way at the kill (DESIGN.md §6: sends survive kill -9; at-least-once, messages in flight come back);</item>
/// <item>no message whose delete was acknowledged is delivered again: neither in the drain nor by a receive of the helper after the delete (of the same run or a later one);</item>
/// <item>no message is delivered that no producer sent, or that a producer could not have sent by then, and none twice;</item>
/// <item>receive counts survive: a message is drained with a count above every count a receive reported for it before the kill;</item>
/// <item>after the drain, a clean close and reopen finds the queue empty and working.</item>
/// </list>
/// </summary>
internal static class RecoveredQueueCheck
{
    public static async Task<QueueRecoveryReport> VerifyAsync(string directory, IReadOnlyList<QueueCrashRun> runs)
    {
        QueueWorkload workload = runs[^1].Workload;
        Assert.Equal(workload.Directory, directory);
        Dictionary<MessageId, QueueMessageIdentity> sent = AcknowledgedSends(runs);
        HashSet<MessageId> deleted = [.. runs.SelectMany(r => r.Deleted).Select(d => d.MessageId)];
        HashSet<MessageId> unfinished = [.. runs.SelectMany(r => r.UnfinishedDeletes)];
        CheckNoDeliveryAfterAcknowledgedDelete(runs);

        // Which segments the kill left: the lowest base sequence above 0 shows segments had been removed.
        long[] segmentsAtKill = [.. Directory.EnumerateFiles(Path.Combine(directory, "queues", QueueWorkload.QueueName, "log"), "*.seg")
            .Select(path => long.Parse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture))];

        IReadOnlyList<DrainedMessage> drained;
        var recoveryLog = new CapturingLoggerFactory();
        await using (QueueEngine engine = await QueueEngine.OpenAsync(Options.Create(workload.ToEngineOptions()), recoveryLog))
        {
            // A kill may leave torn tails (warnings when they are cut); anything worse is a failure.
            AssertNothingAtOrAbove(recoveryLog, LogLevel.Error, "opening the engine after the kill");
            drained = await QueueDrain.ReceiveAndDeleteAllAsync(engine, QueueWorkload.QueueName, workload.MaxPadding);
        }

        Dictionary<MessageId, DrainedMessage> byId = drained.ToDictionary(d => d.MessageId);
        int deletedUnacknowledged = 0;
        foreach ((MessageId id, QueueMessageIdentity identity) in sent)
        {
            bool isDrained = byId.TryGetValue(id, out DrainedMessage? delivery);
            if (!isDrained && !deleted.Contains(id))
            {
                if (!unfinished.Contains(id))
                {
                    Assert.Fail($"The acknowledged send of {identity} as {id} was lost: no delete of it was acknowledged or under way at the kill, and the drain after the kill did not deliver it.");
                }

                deletedUnacknowledged++;
            }

            if (isDrained && delivery!.Identity != identity)
            {
                Assert.Fail($"{id} was acknowledged as the send of {identity}, but the drain delivered {delivery.Identity} under that id.");
            }
        }

        var bounds = new SendBounds(runs);
        foreach (DrainedMessage delivery in drained)
        {
            if (deleted.Contains(delivery.MessageId))
            {
                Assert.Fail($"{delivery.MessageId} ({delivery.Identity}) was delivered in the drain after the kill, though its delete had been acknowledged.");
            }

            if (!bounds.CouldHaveSent(delivery.Identity))
            {
                Assert.Fail($"The drain delivered {delivery.Identity} as {delivery.MessageId}, which no producer could have sent by the kill.");
            }
        }

        if (drained.GroupBy(d => d.Identity).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            Assert.Fail($"The drain delivered {duplicate.Key} under {duplicate.Count()} message ids: {string.Join(", ", duplicate.Select(d => d.MessageId))}; it was sent once.");
        }

        Dictionary<MessageId, int> highestReceive = HighestReceiveCounts(runs);
        int receivedBefore = 0;
        foreach (DrainedMessage delivery in drained)
        {
            if (highestReceive.TryGetValue(delivery.MessageId, out int before))
            {
                receivedBefore++;
                if (delivery.ReceiveCount <= before)
                {
                    Assert.Fail($"{delivery.MessageId} had been received {before} time(s) before the kill, but the drain delivered it with receive count {delivery.ReceiveCount}: receive counts were lost.");
                }
            }
        }

        await AssertEmptyAfterCleanReopenAsync(workload);
        return new QueueRecoveryReport(
            sent.Count,
            deleted.Count,
            deletedUnacknowledged,
            drained.Count,
            drained.Count(d => !sent.ContainsKey(d.MessageId)),
            receivedBefore,
            segmentsAtKill.Length,
            segmentsAtKill.Min(),
            recoveryLog.Entries.Count(e => e.Level == LogLevel.Warning));
    }

    /// <summary>Every acknowledged send of every run, by message id; fails if two acknowledged sends share an id.</summary>
    internal static Dictionary<MessageId, QueueMessageIdentity> AcknowledgedSends(IReadOnlyList<QueueCrashRun> runs)
    {
        var sent = new Dictionary<MessageId, QueueMessageIdentity>();
        foreach ((MessageId id, QueueMessageIdentity identity) in runs.SelectMany(r => r.SentMessages))
        {
            if (!sent.TryAdd(id, identity))
            {
                Assert.Fail($"{id} was acknowledged for two sends: {sent[id]} and {identity}.");
            }
        }

        return sent;
    }

    /// <summary>The highest receive count the helper's receives reported per message, over every run.</summary>
    internal static Dictionary<MessageId, int> HighestReceiveCounts(IReadOnlyList<QueueCrashRun> runs) =>
        runs.SelectMany(r => r.Received).GroupBy(r => r.MessageId).ToDictionary(g => g.Key, g => g.Max(r => r.ReceiveCount));

    internal static void AssertNothingAtOrAbove(CapturingLoggerFactory logger, LogLevel level, string when)
    {
        LogEntry[] bad = [.. logger.Entries.Where(e => e.Level >= level)];
        Assert.True(bad.Length == 0, $"The engine reported problems when {when}: {string.Join(" | ", bad.Select(e => $"{e.Level}: {e.Message}"))}");
    }

    // In the helper's output, in order: once a delete of a message is acknowledged, no receive may return it
    // again. Within the run a receive may still be printed late: one that returned the message before the
    // delete, its line held up until after the delete's (the consumers run concurrently); but such a receive
    // came before the one whose handle deleted the message (else that handle would have been stale and the
    // delete refused), so its count is lower than the highest count printed before the delete. In a later
    // run every receive came after the kill: any receive of the message is a redelivery.
    private static void CheckNoDeliveryAfterAcknowledgedDelete(IReadOnlyList<QueueCrashRun> runs)
    {
        var deletedEarlier = new HashSet<MessageId>();
        foreach (QueueCrashRun run in runs)
        {
            var highestSoFar = new Dictionary<MessageId, int>();
            var deletedAtCount = new Dictionary<MessageId, int>();
            foreach (QueueLine line in run.Lines)
            {
                switch (line)
                {
                    case ReceivedLine received when deletedEarlier.Contains(received.MessageId):
                        Assert.Fail($"Run {run.Workload.Run} received {received.MessageId} (receive count {received.ReceiveCount}), whose delete an earlier run had acknowledged.");
                        break;
                    case ReceivedLine received when deletedAtCount.TryGetValue(received.MessageId, out int count) && received.ReceiveCount >= count:
                        Assert.Fail($"Run {run.Workload.Run} received {received.MessageId} with receive count {received.ReceiveCount} after the acknowledgement of its delete, which deleted it at receive count {count} at most.");
                        break;
                    case ReceivedLine received:
                        highestSoFar[received.MessageId] = Math.Max(highestSoFar.GetValueOrDefault(received.MessageId), received.ReceiveCount);
                        break;
                    case DeletedLine d:
                        deletedAtCount.TryAdd(d.MessageId, highestSoFar.GetValueOrDefault(d.MessageId));
                        break;
                }
            }

            deletedEarlier.UnionWith(deletedAtCount.Keys);
        }
    }

    // The drain's deletes were acknowledged and the engine was closed cleanly: reopening finds nothing to
    // deliver, says nothing worse than information, and the queue takes a send again.
    private static async Task AssertEmptyAfterCleanReopenAsync(QueueWorkload workload)
    {
        var cleanLog = new CapturingLoggerFactory();
        await using QueueEngine engine = await QueueEngine.OpenAsync(Options.Create(workload.ToEngineOptions()), cleanLog);
        AssertNothingAtOrAbove(cleanLog, LogLevel.Warning, "reopening the engine after a clean close");
        IReadOnlyList<ReceivedMessage> left = await engine.ReceiveMessageAsync(QueueWorkload.QueueName, new ReceiveMessageRequest(10, TimeSpan.FromMinutes(10)));
        Assert.True(left.Count == 0, $"After the drain and a clean reopen the queue still delivered {left.Count} message(s), such as {(left.Count > 0 ? left[0].MessageId : null)}.");

        var identity = new QueueMessageIdentity(workload.Run + 1000, 0, 0);
        SendMessageResult after = await engine.SendMessageAsync(QueueWorkload.QueueName, new SendMessageRequest(QueueMessageBody.Create(identity, workload.MaxPadding)));
        IReadOnlyList<ReceivedMessage> got = await engine.ReceiveMessageAsync(QueueWorkload.QueueName, new ReceiveMessageRequest(10, TimeSpan.FromMinutes(10)));
        Assert.Equal([after.MessageId], got.Select(m => m.MessageId));
        await engine.DeleteMessageAsync(QueueWorkload.QueueName, got[0].ReceiptHandle);
    }
}
