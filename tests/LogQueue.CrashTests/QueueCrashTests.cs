using LogQueue.CrashHelper;
using LogQueue.TestSupport;
using Xunit.Abstractions;

namespace LogQueue.CrashTests;

/// <summary>
/// DESIGN.md §6 for the standard-queue engine under <c>kill -9</c>: an acknowledged send survives, an
/// acknowledged delete is never delivered again, delivery is at least once (messages in flight at the kill
/// come back), and receive counts survive, so a poison message cannot escape its dead-letter queue by
/// restarts. Each test runs the crash helper's <c>queue</c> command (producers and consumers printing a
/// line per acknowledged send, per received message and per acknowledged delete) on a fresh data
/// directory, SIGKILLs it at some point, and checks the reopened engine against every complete line (see
/// <see cref="RecoveredQueueCheck"/> and <see cref="RecoveredPoisonCheck"/>).
/// </summary>
[Trait("Category", "Crash")]
public sealed class QueueCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan KillPointTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_kill_soon_after_start_keeps_every_acknowledged_send()
    {
        using var dir = new TempDirectory("queue-crash");
        var workload = new QueueWorkload { Directory = dir.Path };
        await KillAndVerifyAsync(workload, new QueueKillPoint(Sent: 40));
    }

    [Fact]
    public async Task A_kill_mid_load_keeps_acknowledged_sends_and_deletes_and_brings_in_flight_messages_back()
    {
        using var dir = new TempDirectory("queue-crash");
        var workload = new QueueWorkload
        {
            Directory = dir.Path,
            Producers = 3,
            Consumers = 3,
            DeletePercent = 60,
            ReleasePercent = 10,
            VisibilityMilliseconds = 300,
        };

        QueueRecoveryReport report = await KillAndVerifyAsync(workload, new QueueKillPoint(Sent: 2000, Received: 800, Deleted: 400));
        Assert.True(report.ReceivedBeforeKill > 0, "No message that had been received and not deleted was drained: the kill came before this test's point.");
    }

    [Fact]
    public async Task A_kill_after_fully_deleted_segments_were_removed_keeps_every_acknowledged_send_and_delete()
    {
        // Segments of 64 KiB hold some 200 messages. Three consumers keep up with one producer and delete
        // everything, so the oldest segments empty out and are removed while the log rolls on; at reopen,
        // sequences below the first segment count as deleted.
        using var dir = new TempDirectory("queue-crash");
        var workload = new QueueWorkload
        {
            Directory = dir.Path,
            Producers = 1,
            Consumers = 3,
            DeletePercent = 100,
            VisibilityMilliseconds = 2000,
        };

        QueueRecoveryReport report = await KillAndVerifyAsync(workload, new QueueKillPoint(Deleted: 1000));
        Assert.True(report.FirstSegmentAtKill > 0, $"No segment had been removed by the kill ({report.SegmentsAtKill} segment(s) from sequence 0): the test proved nothing about removal.");
    }

    [Theory]
    [InlineData(1, 0, 0, 1, 60)]
    [InlineData(0, 0, 1, 10, 60)]
    [InlineData(0, 300, 0, 1, 0)]
    public async Task A_kill_at_another_point_keeps_every_acknowledged_send_and_delete(int sent, int received, int deleted, int sendBatch, int deletePercent)
    {
        // Right after the first acknowledged send (single sends only); right after the first acknowledged
        // delete; and with no deletes at all, so that every message received is in flight or timed out.
        using var dir = new TempDirectory("queue-crash");
        var workload = new QueueWorkload
        {
            Directory = dir.Path,
            Producers = 2,
            Consumers = 2,
            SendBatch = sendBatch,
            DeletePercent = deletePercent,
            VisibilityMilliseconds = 200,
        };

        await KillAndVerifyAsync(workload, new QueueKillPoint(sent, received, deleted));
    }

    [Fact]
    public async Task Two_kills_in_a_row_keep_the_acknowledged_sends_and_deletes_of_both_runs()
    {
        using var dir = new TempDirectory("queue-crash");
        var first = new QueueWorkload { Directory = dir.Path, Producers = 3, Consumers = 2, VisibilityMilliseconds = 300, Run = 0 };

        // The second run recovers what the first left (in the helper process), receives the first run's
        // in-flight messages again and deletes some of them, while sending its own.
        var second = first with { Run = 1, Producers = 2, Consumers = 3, ReleasePercent = 20 };
        QueueCrashRun firstRun = await KillAtAsync(first, new QueueKillPoint(Sent: 800, Received: 300, Deleted: 150));
        QueueCrashRun secondRun = await KillAtAsync(second, new QueueKillPoint(Sent: 400, Received: 500, Deleted: 250));

        QueueRecoveryReport report = await RecoveredQueueCheck.VerifyAsync(dir.Path, [firstRun, secondRun]);
        Report(report);
    }

    [Fact]
    public async Task A_poison_message_still_moves_to_its_dead_letter_queue_on_receive_N_plus_1_after_a_kill()
    {
        using var dir = new TempDirectory("queue-crash");
        QueueWorkload workload = PoisonWorkload(dir.Path, run: 0);
        QueueCrashRun run = await KillAtAsync(workload, new QueueKillPoint(ReceivedAtCount: 50, AtCount: workload.MaxReceiveCount));
        PoisonRecoveryReport report = await RecoveredPoisonCheck.VerifyAsync(dir.Path, [run]);
        Report(report);
        Assert.True(report.AtMaxBeforeKill > 0 && report.ContinuedAfterRestart > 0, "No message was received before the kill and again after it: the test proved nothing about receive counts.");
    }

    [Fact]
    public async Task A_poison_message_cannot_escape_its_dead_letter_queue_through_two_kills()
    {
        using var dir = new TempDirectory("queue-crash");
        QueueWorkload first = PoisonWorkload(dir.Path, run: 0);

        // The second run receives the first run's messages on from their counts; the first time it sees
        // a message the first run had received N times, that receive must move it.
        QueueWorkload second = PoisonWorkload(dir.Path, run: 1) with { Producers = 1 };
        QueueCrashRun firstRun = await KillAtAsync(first, new QueueKillPoint(ReceivedAtCount: 30, AtCount: first.MaxReceiveCount));
        QueueCrashRun secondRun = await KillAtAsync(second, new QueueKillPoint(ReceivedAtCount: 30, AtCount: second.MaxReceiveCount));

        PoisonRecoveryReport report = await RecoveredPoisonCheck.VerifyAsync(dir.Path, [firstRun, secondRun]);
        Report(report);
    }

    // Consumers that never delete: half of what they receive they release at once, so messages climb to
    // maxReceiveCount quickly; the rest stay in flight (a long visibility timeout) until the kill.
    private static QueueWorkload PoisonWorkload(string directory, int run) => new()
    {
        Directory = directory,
        Producers = 2,
        Consumers = 3,
        DeletePercent = 0,
        ReleasePercent = 50,
        VisibilityMilliseconds = 20_000,
        MaxReceiveCount = 3,
        Run = run,
    };

    private async Task<QueueRecoveryReport> KillAndVerifyAsync(QueueWorkload workload, QueueKillPoint killPoint)
    {
        QueueCrashRun run = await KillAtAsync(workload, killPoint);
        QueueRecoveryReport report = await RecoveredQueueCheck.VerifyAsync(workload.Directory, [run]);
        Report(report);
        return report;
    }

    private static async Task<QueueCrashRun> KillAtAsync(QueueWorkload workload, QueueKillPoint killPoint)
    {
        await using QueueHelperProcess helper = QueueHelperProcess.Start(workload);
        return await helper.KillAtAsync(killPoint, KillPointTimeout);
    }

    private void Report(QueueRecoveryReport report) =>
        output.WriteLine(
            $"{report.AcknowledgedSends} sends and {report.AcknowledgedDeletes} deletes acknowledged; drained {report.Drained} " +
            $"({report.DrainedUnacknowledged} unacknowledged sends, {report.ReceivedBeforeKill} received before the kill); {report.DeletedUnacknowledged} deleted by a call under way at the kill; " +
            $"{report.SegmentsAtKill} segment(s) from sequence {report.FirstSegmentAtKill} at the kill; recovery warnings: {report.RecoveryWarnings}");

    private void Report(PoisonRecoveryReport report) =>
        output.WriteLine(
            $"{report.AcknowledgedSends} sends acknowledged; {report.AtMaxBeforeKill} message(s) at maxReceiveCount before the kill, " +
            $"{report.ContinuedAfterRestart} counted on after it; {report.Deliveries} receives after the restart; " +
            $"{report.DeadLetters} dead letters ({report.DuplicateDeadLetters} moved twice)");
}
