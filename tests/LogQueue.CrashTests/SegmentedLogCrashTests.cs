using LogQueue.CrashHelper;
using LogQueue.TestSupport;
using Xunit.Abstractions;

namespace LogQueue.CrashTests;

/// <summary>
/// DESIGN.md §6: an append acknowledged under <c>always</c> survives <c>kill -9</c>, and a torn record is
/// never delivered. Each test runs the crash helper (concurrent appenders printing an ack line per
/// acknowledged record) on a fresh directory, SIGKILLs it at some point, and checks the reopened log
/// against every complete ack line (see <see cref="RecoveredLogCheck"/>).
/// </summary>
[Trait("Category", "Crash")]
public sealed class SegmentedLogCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan KillPointTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_kill_soon_after_start_keeps_every_acknowledged_append()
    {
        using var dir = new TempDirectory("crash");
        await KillAndVerifyAsync(dir, new AppendWorkload { Directory = dir.Path, Appenders = 4, MinSize = 1, MaxSize = 256 }, killAfterAcks: 50);
    }

    [Fact]
    public async Task A_kill_after_many_segment_rolls_keeps_every_acknowledged_append()
    {
        using var dir = new TempDirectory("crash");
        var workload = new AppendWorkload
        {
            Directory = dir.Path,
            Appenders = 4,
            SegmentCapacity = 64 << 10,
            MaxRecordSize = 8 << 10,
            MinSize = 1,
            MaxSize = 4096,
        };

        RecoveryReport report = await KillAndVerifyAsync(dir, workload, killAfterAcks: 2000);

        // 2,000 records of 2 KiB on average fill some 60 segments of 64 KiB.
        Assert.True(report.Segments >= 10, $"Only {report.Segments} segment(s): the kill came before the rolls this test is about.");
    }

    [Fact]
    public async Task A_kill_while_batches_are_in_flight_keeps_every_acknowledged_batch()
    {
        using var dir = new TempDirectory("crash");
        var workload = new AppendWorkload
        {
            Directory = dir.Path,
            Appenders = 3,
            Batch = 16,
            SegmentCapacity = 64 << 10,
            MaxRecordSize = 4 << 10,
            MinSize = 1,
            MaxSize = 2048,
        };

        RecoveryReport report = await KillAndVerifyAsync(dir, workload, killAfterAcks: 1500);
        Assert.True(report.Segments >= 5, $"Only {report.Segments} segment(s): batches should have spanned several rolls.");
    }

    [Fact]
    public async Task A_kill_among_records_of_several_pages_keeps_every_acknowledged_append()
    {
        // Records of 1 to 16 KiB in 64 KiB segments: a roll every few records, records that span pages,
        // so the kill often lands near a roll or inside a long copy.
        using var dir = new TempDirectory("crash");
        var workload = new AppendWorkload
        {
            Directory = dir.Path,
            Appenders = 2,
            SegmentCapacity = 64 << 10,
            MaxRecordSize = (16 << 10) + CrashRecord.IdentitySize,
            MinSize = 1 << 10,
            MaxSize = 16 << 10,
        };

        await KillAndVerifyAsync(dir, workload, killAfterAcks: 300);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 16)]
    [InlineData(777, 4)]
    public async Task A_kill_at_another_point_keeps_every_acknowledged_append(int killAfterAcks, int batch)
    {
        using var dir = new TempDirectory("crash");
        var workload = new AppendWorkload
        {
            Directory = dir.Path,
            Appenders = 4,
            Batch = batch,
            SegmentCapacity = 64 << 10,
            MaxRecordSize = 2 << 10,
            MinSize = 1,
            MaxSize = 1024,
        };

        await KillAndVerifyAsync(dir, workload, killAfterAcks);
    }

    [Fact]
    public async Task Two_kills_in_a_row_keep_the_acknowledged_appends_of_both_runs()
    {
        using var dir = new TempDirectory("crash");
        var first = new AppendWorkload
        {
            Directory = dir.Path,
            Appenders = 4,
            SegmentCapacity = 64 << 10,
            MaxRecordSize = 4 << 10,
            MinSize = 1,
            MaxSize = 2048,
            Run = 0,
        };

        // The second run recovers what the first left (in the helper process), then appends batches on top.
        var second = first with { Run = 1, Batch = 8, Appenders = 3 };
        IReadOnlyList<Ack> firstAcks = await KillAfterAcksAsync(first, 500);
        IReadOnlyList<Ack> secondAcks = await KillAfterAcksAsync(second, 500);

        Assert.True(secondAcks.Min(a => a.Sequence) > firstAcks.Max(a => a.Sequence), "The second run reused a sequence the first run had acknowledged.");
        RecoveryReport report = await RecoveredLogCheck.VerifyAsync(dir.Path, [new CrashRun(first, firstAcks), new CrashRun(second, secondAcks)]);
        Report(report);
    }

    private async Task<RecoveryReport> KillAndVerifyAsync(TempDirectory dir, AppendWorkload workload, int killAfterAcks)
    {
        IReadOnlyList<Ack> acks = await KillAfterAcksAsync(workload, killAfterAcks);
        RecoveryReport report = await RecoveredLogCheck.VerifyAsync(dir.Path, [new CrashRun(workload, acks)]);
        Report(report);
        return report;
    }

    private static async Task<IReadOnlyList<Ack>> KillAfterAcksAsync(AppendWorkload workload, int count)
    {
        await using AppenderProcess helper = AppenderProcess.Start(workload);
        IReadOnlyList<Ack> acks = await helper.KillAfterAcksAsync(count, KillPointTimeout);
        Assert.True(acks.Count >= count, $"Read {acks.Count} acks, expected at least {count}.");
        return acks;
    }

    private void Report(RecoveryReport report) =>
        output.WriteLine(
            $"{report.Acknowledged} acks; recovered {report.Records} records in {report.Segments} segment(s), " +
            $"{report.Unacknowledged} of them unacknowledged, partial batches: {report.PartialBatches}; torn tails cut: {report.TailTruncations}");
}
