using LogQueue.CrashHelper;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using LogQueue.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LogQueue.CrashTests;

/// <summary>
/// Checks a data directory left behind by killed helper <c>queue</c> runs whose consumers never delete and
/// whose queue has a redrive policy (maxReceiveCount N): poison messages must not escape their dead-letter
/// queue through restarts. Reopens the engine in-process, receives every message of the queue again and
/// again (releasing it each time) until all of them moved to the dead-letter queue, drains that, and
/// proves that
/// <list type="bullet">
/// <item>no receive, before or after a kill, ever returned a message with a receive count above N;</item>
/// <item>receive counts survive each kill: a message's first receive after a restart counts on from the highest count any receive reported before it;</item>
/// <item>a message received N times before a kill is never delivered again: the next receive moves it to the dead-letter queue;</item>
/// <item>every message is delivered until exactly count N and then moves (none moves early or stays);</item>
/// <item>every acknowledged send ends up in the dead-letter queue with its own body, and nothing else does.</item>
/// </list>
/// </summary>
internal static class RecoveredPoisonCheck
{
    public static async Task<PoisonRecoveryReport> VerifyAsync(string directory, IReadOnlyList<QueueCrashRun> runs)
    {
        QueueWorkload workload = runs[^1].Workload;
        int max = workload.MaxReceiveCount;
        Assert.True(max > 0 && runs.All(r => r.Workload.DeletePercent == 0 && r.Workload.MaxReceiveCount == max), "The poison check needs runs that never delete, all with the same maxReceiveCount.");
        Dictionary<MessageId, QueueMessageIdentity> sent = RecoveredQueueCheck.AcknowledgedSends(runs);
        Dictionary<MessageId, int> highest = CheckReceiveCountsOfTheRuns(runs, max);

        IReadOnlyList<DrainedMessage> deliveries;
        IReadOnlyList<DrainedMessage> deadLetters;
        var recoveryLog = new CapturingLoggerFactory();
        await using (QueueEngine engine = await QueueEngine.OpenAsync(Options.Create(workload.ToEngineOptions()), recoveryLog))
        {
            RecoveredQueueCheck.AssertNothingAtOrAbove(recoveryLog, LogLevel.Error, "opening the engine after the kill");
            deliveries = await QueueDrain.ReceiveUntilDeadLetteredAsync(engine, QueueWorkload.QueueName, workload.MaxPadding);
            deadLetters = await QueueDrain.ReceiveAndDeleteAllAsync(engine, QueueWorkload.DeadLetterQueueName, workload.MaxPadding);
        }

        var bounds = new SendBounds(runs);
        int continued = 0;
        foreach (IGrouping<MessageId, DrainedMessage> message in deliveries.GroupBy(d => d.MessageId))
        {
            MessageId id = message.Key;
            int[] counts = [.. message.Select(d => d.ReceiveCount)];
            QueueMessageIdentity identity = message.First().Identity;
            if (sent.TryGetValue(id, out QueueMessageIdentity acknowledged) ? acknowledged != identity : !bounds.CouldHaveSent(identity))
            {
                Assert.Fail($"After the kill '{QueueWorkload.QueueName}' delivered {identity} as {id}, which is not what was sent under that id.");
            }

            if (highest.TryGetValue(id, out int before))
            {
                continued++;
                if (before >= max)
                {
                    Assert.Fail($"{id} had been received {before} time(s) (maxReceiveCount {max}) before the kill, yet after the restart a receive returned it again, with receive count {counts[0]}, instead of moving it to the dead-letter queue.");
                }

                if (counts[0] <= before)
                {
                    Assert.Fail($"{id} had been received {before} time(s) before the kill, but its first receive after the restart reported receive count {counts[0]}: receive counts were lost, and a poison message could be received forever.");
                }
            }

            for (int i = 1; i < counts.Length; i++)
            {
                if (counts[i] != counts[i - 1] + 1)
                {
                    Assert.Fail($"{id} was received with counts {string.Join(", ", counts)} after the restart; each receive should count one more.");
                }
            }

            if (counts[^1] != max)
            {
                Assert.Fail($"{id} was received with counts {string.Join(", ", counts)} after the restart and then moved to the dead-letter queue; with maxReceiveCount {max} it should have been delivered up to count {max}, and moved on the receive after.");
            }
        }

        var deadIdentities = new HashSet<QueueMessageIdentity>();
        foreach (DrainedMessage dead in deadLetters)
        {
            if (dead.DeadLetterSourceQueue != QueueWorkload.QueueName || !bounds.CouldHaveSent(dead.Identity))
            {
                Assert.Fail($"The dead-letter queue held {dead.Identity} (source queue '{dead.DeadLetterSourceQueue}'), which no producer of '{QueueWorkload.QueueName}' could have sent.");
            }

            deadIdentities.Add(dead.Identity);
        }

        foreach ((MessageId id, QueueMessageIdentity identity) in sent)
        {
            if (!deadIdentities.Contains(identity))
            {
                Assert.Fail($"The acknowledged send of {identity} as {id} was lost: nothing deletes in this workload, so it should have ended in the dead-letter queue.");
            }
        }

        return new PoisonRecoveryReport(
            sent.Count,
            highest.Count(p => p.Value >= max),
            continued,
            deliveries.Count,
            deadLetters.Count,
            deadLetters.Count - deadIdentities.Count);
    }

    // Checks the helper's own receives: none above maxReceiveCount, and across each kill the counts go on.
    // Returns the highest count reported per message over all runs.
    private static Dictionary<MessageId, int> CheckReceiveCountsOfTheRuns(IReadOnlyList<QueueCrashRun> runs, int max)
    {
        var highest = new Dictionary<MessageId, int>();
        foreach (QueueCrashRun run in runs)
        {
            var thisRun = new Dictionary<MessageId, int>();
            foreach (ReceivedLine received in run.Received)
            {
                if (received.ReceiveCount > max)
                {
                    Assert.Fail($"Run {run.Workload.Run} received {received.MessageId} with receive count {received.ReceiveCount}, above maxReceiveCount {max}.");
                }

                if (highest.TryGetValue(received.MessageId, out int before) && received.ReceiveCount <= before)
                {
                    Assert.Fail($"Run {run.Workload.Run} received {received.MessageId} with receive count {received.ReceiveCount}, but an earlier run had received it {before} time(s): the counts were lost at the kill.");
                }

                thisRun[received.MessageId] = Math.Max(thisRun.GetValueOrDefault(received.MessageId), received.ReceiveCount);
            }

            foreach ((MessageId id, int count) in thisRun)
            {
                highest[id] = Math.Max(highest.GetValueOrDefault(id), count);
            }
        }

        return highest;
    }
}
