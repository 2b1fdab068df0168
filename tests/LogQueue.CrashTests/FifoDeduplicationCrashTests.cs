using System.Globalization;
using LogQueue.CrashHelper;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using LogQueue.TestSupport;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace LogQueue.CrashTests;

/// <summary>
/// DESIGN.md §6 for FIFO deduplication under <c>kill -9</c>: the five-minute window is rebuilt from the log, so a
/// producer that resends after the crash (every acknowledged send, and those under way at the kill) gets back the
/// original of each message that was stored, and the queue ends up holding every message exactly once. The helper's
/// <c>queue</c> command runs with <c>--fifo 1</c>: each producer sends to its own group, each message with a
/// deduplication id that follows from its identity. The drain also checks that each group comes out in send order.
/// </summary>
[Trait("Category", "Crash")]
public sealed class FifoDeduplicationCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan KillPointTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task After_a_kill_under_load_every_resend_returns_its_original_and_each_message_is_stored_once()
    {
        using var dir = new TempDirectory("fifo-dedup-crash");
        var workload = new QueueWorkload { Directory = dir.Path, Fifo = true, Producers = 4, Consumers = 0 };
        QueueCrashRun run = await KillAtAsync(workload, new QueueKillPoint(Sent: 3000));

        await using QueueEngine engine = await QueueEngine.OpenAsync(Options.Create(workload.ToEngineOptions()));
        long storedAtReopen = long.Parse(engine.GetQueueAttributes(workload.Queue, ["ApproximateNumberOfMessages"])["ApproximateNumberOfMessages"], CultureInfo.InvariantCulture);
        Dictionary<QueueMessageIdentity, MessageId> resent = await ResendEverythingAsync(engine, run);

        IReadOnlyList<DrainedMessage> drained = await QueueDrain.ReceiveAndDeleteAllAsync(engine, workload.Queue, workload.MaxPadding);
        Assert.Equal(resent.Count, drained.Count);
        Assert.All(drained, d => Assert.Equal(resent[d.Identity], d.MessageId));

        // Order per group survives the kill too: each producer's group comes out in its send order. The resends that
        // stored anything were the producer's newest messages (a torn tail cuts the newest records), appended in order.
        foreach (IGrouping<int, DrainedMessage> group in drained.GroupBy(d => d.Identity.Producer))
        {
            long[] counters = [.. group.Select(d => d.Identity.Counter)];
            Assert.Equal(counters.Order(), counters);
        }

        int acknowledged = run.Sent.Count();
        output.WriteLine($"{acknowledged} sends acknowledged; {storedAtReopen - acknowledged} unacknowledged send(s) stored at the kill; {resent.Count} resent; {drained.Count} drained");
    }

    [Fact]
    public async Task After_a_kill_a_resend_of_a_deleted_message_stores_nothing()
    {
        // Consumers delete everything they receive: the window must hold for messages deleted before the kill,
        // from records whose segments a standard queue would have removed.
        using var dir = new TempDirectory("fifo-dedup-crash");
        var workload = new QueueWorkload { Directory = dir.Path, Fifo = true, Producers = 3, Consumers = 3, DeletePercent = 100, VisibilityMilliseconds = 2000 };
        QueueCrashRun run = await KillAtAsync(workload, new QueueKillPoint(Sent: 1500, Deleted: 800));

        await using QueueEngine engine = await QueueEngine.OpenAsync(Options.Create(workload.ToEngineOptions()));
        Dictionary<QueueMessageIdentity, MessageId> resent = await ResendEverythingAsync(engine, run);

        IReadOnlyList<DrainedMessage> drained = await QueueDrain.ReceiveAndDeleteAllAsync(engine, workload.Queue, workload.MaxPadding);
        var deleted = run.Deleted.Select(d => d.MessageId).ToHashSet();
        Assert.DoesNotContain(drained, d => deleted.Contains(d.MessageId));
        Assert.Equal(drained.Count, drained.Select(d => d.Identity).Distinct().Count());
        Assert.All(drained, d => Assert.Equal(resent[d.Identity], d.MessageId));
        output.WriteLine($"{run.Sent.Count()} sends and {deleted.Count} deletes acknowledged; {resent.Count} resent; {drained.Count} drained");
    }

    // Resends, per producer in its order, every message up to its last acknowledged one plus a full batch: a producer
    // makes one call at a time, so what was under way at the kill is at most SendBatch messages past its last ack.
    // Checks every acknowledged send comes back with its original id; returns the id each resend got.
    private static async Task<Dictionary<QueueMessageIdentity, MessageId>> ResendEverythingAsync(QueueEngine engine, QueueCrashRun run)
    {
        QueueWorkload workload = run.Workload;
        Dictionary<QueueMessageIdentity, MessageId> acknowledged = run.SentMessages.ToDictionary(s => s.Identity, s => s.MessageId);
        var resent = new Dictionary<QueueMessageIdentity, MessageId>();
        for (int producer = 0; producer < workload.Producers; producer++)
        {
            long end = run.Sent.Where(s => s.Producer == producer).Select(s => s.Counter + 1).DefaultIfEmpty(0).Max() + workload.SendBatch;
            for (long counter = 0; counter < end; counter += 10)
            {
                QueueMessageIdentity[] identities = [.. Enumerable.Range(0, (int)Math.Min(10, end - counter)).Select(i => new QueueMessageIdentity(workload.Run, producer, counter + i))];
                IReadOnlyList<BatchResultEntry<SendMessageResult>> results = await engine.SendMessageBatchAsync(
                    workload.Queue,
                    [.. identities.Select((identity, i) => (i.ToString(CultureInfo.InvariantCulture), Request(workload, identity)))]);
                for (int i = 0; i < identities.Length; i++)
                {
                    MessageId id = (results[i].Result ?? throw new InvalidOperationException($"Resending {identities[i]} failed: {results[i].Error} {results[i].ErrorMessage}")).MessageId;
                    if (acknowledged.TryGetValue(identities[i], out MessageId original) && original != id)
                    {
                        Assert.Fail($"{identities[i]} was acknowledged as {original} before the kill; its resend returned {id}.");
                    }

                    resent.Add(identities[i], id);
                }
            }
        }

        return resent;
    }

    private static SendMessageRequest Request(QueueWorkload workload, QueueMessageIdentity identity) => new(
        QueueMessageBody.Create(identity, workload.MaxPadding),
        MessageGroupId: QueueWorkload.GroupId(identity.Producer),
        MessageDeduplicationId: QueueWorkload.DeduplicationId(identity));

    private static async Task<QueueCrashRun> KillAtAsync(QueueWorkload workload, QueueKillPoint killPoint)
    {
        await using QueueHelperProcess helper = QueueHelperProcess.Start(workload);
        return await helper.KillAtAsync(killPoint, KillPointTimeout);
    }
}
