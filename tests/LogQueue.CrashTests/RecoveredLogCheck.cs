using LogQueue.CrashHelper;
using LogQueue.Engine.Log;
using LogQueue.TestSupport;
using Microsoft.Extensions.Logging;

namespace LogQueue.CrashTests;

/// <summary>
/// Checks a log directory left behind by killed helper runs: reopens it in-process and proves that
/// <list type="bullet">
/// <item>every acknowledged sequence is stored, with exactly the record its ack line names;</item>
/// <item>sequences are dense from <see cref="SegmentedLog.FirstSequence"/> to <see cref="SegmentedLog.NextSequence"/>;</item>
/// <item>every stored record is one the helper wrote, byte for byte (a torn tail is never delivered);</item>
/// <item>each appender's records appear once each, in its own order, with no more beyond its last ack than one unfinished call;</item>
/// <item>the log then takes appends, and a clean close and reopen keeps everything without complaint.</item>
/// </list>
/// </summary>
internal static class RecoveredLogCheck
{
    private const string TruncatedTail = "Recovery truncated the tail";

    // An append in Always mode waits for one fdatasync; this only keeps a hung flush from hanging the run.
    private static readonly TimeSpan AppendTimeout = TimeSpan.FromSeconds(30);

    public static async Task<RecoveryReport> VerifyAsync(string directory, IReadOnlyList<CrashRun> runs)
    {
        SegmentedLogOptions options = runs[^1].Workload.ToLogOptions();
        options.VerifyAllSegments = true;

        var afterRecovery = new List<CrashRun>(runs);
        RecoveryReport report;
        long next;
        var recoveryLog = new CapturingLogger();
        await using (SegmentedLog log = SegmentedLog.Open(directory, options, recoveryLog))
        {
            // A kill may leave a torn tail (a warning when it is cut); anything worse is a failure.
            AssertNothingAtOrAbove(recoveryLog, LogLevel.Error, "opening the log after the kill");
            (long records, int partialBatches) = CheckContents(log, runs);
            report = new RecoveryReport(
                records,
                partialBatches,
                runs.Sum(r => r.Acks.Count),
                log.SegmentCount,
                recoveryLog.Entries.Count(e => e.Message.StartsWith(TruncatedTail, StringComparison.Ordinal)));

            afterRecovery.Add(await AppendAfterRecoveryAsync(log, runs));
            CheckContents(log, afterRecovery);
            next = log.NextSequence;
        }

        var cleanLog = new CapturingLogger();
        await using (SegmentedLog log = SegmentedLog.Open(directory, options, cleanLog))
        {
            AssertNothingAtOrAbove(cleanLog, LogLevel.Warning, "reopening the log after a clean close");
            Assert.Equal(next, log.NextSequence);
            CheckContents(log, afterRecovery);
        }

        return report;
    }

    // Appends a few single records, then a batch, under a run id of its own and returns them as acked.
    private static async Task<CrashRun> AppendAfterRecoveryAsync(SegmentedLog log, IReadOnlyList<CrashRun> runs)
    {
        var workload = runs[^1].Workload with { Run = runs.Max(r => r.Workload.Run) + 1, Appenders = 1, Batch = 4 };
        var acks = new List<Ack>();
        long expected = log.NextSequence;
        for (long counter = 0; counter < workload.Batch; counter++)
        {
            RecordIdentity identity = CrashRecord.IdentityOf(workload, 0, counter);
            long sequence = await log.AppendAsync(CrashRecord.Create(identity)).AsTask().WaitAsync(AppendTimeout);
            Assert.Equal(expected++, sequence);
            acks.Add(new Ack(sequence, 0, counter, identity.Length));
        }

        RecordIdentity[] batch = [.. Enumerable.Range(workload.Batch, workload.Batch).Select(c => CrashRecord.IdentityOf(workload, 0, c))];
        long first = await log.AppendBatchAsync(batch.Select(CrashRecord.Create).ToArray()).AsTask().WaitAsync(AppendTimeout);
        Assert.Equal(expected, first);
        acks.AddRange(batch.Select((identity, i) => new Ack(first + i, 0, identity.Counter, identity.Length)));
        return new CrashRun(workload, acks);
    }

    // Returns the number of records and of batches stored in part (see RecoveryReport). Checks are written
    // as if/Fail so that messages are built only on failure.
    private static (long Records, int PartialBatches) CheckContents(SegmentedLog log, IReadOnlyList<CrashRun> runs)
    {
        Dictionary<int, AppendWorkload> workloads = runs.ToDictionary(r => r.Workload.Run, r => r.Workload);
        var lastCounter = new Dictionary<(int Run, int Appender), long>();
        var stored = new List<RecordIdentity>();

        Assert.Equal(0, log.FirstSequence);
        long next = log.NextSequence;
        for (long sequence = 0; sequence < next; sequence++)
        {
            if (!log.TryRead(sequence, out StoredRecord? record))
            {
                Assert.Fail($"Sequence {sequence} is below NextSequence {next} but cannot be read: the sequences are not dense.");
            }

            if (record.Sequence != sequence)
            {
                Assert.Fail($"Reading sequence {sequence} returned the record of sequence {record.Sequence}.");
            }

            string? problem = CrashRecord.Check(record.Attributes.Span, record.Body.Span, out RecordIdentity identity);
            if (problem is not null)
            {
                Assert.Fail($"Sequence {sequence} holds a record the helper never wrote: {problem}.");
            }

            if (!workloads.TryGetValue(identity.Run, out AppendWorkload? workload) || identity.Appender < 0 || identity.Appender >= workload.Appenders)
            {
                Assert.Fail($"Sequence {sequence} holds {identity}, which no run's appender could have written.");
            }

            int length = CrashRecord.BodyLength(workload, identity.Appender, identity.Counter);
            if (identity.Length != length)
            {
                Assert.Fail($"Sequence {sequence} holds {identity}, but that record's body is {length} bytes long.");
            }

            // An appender waits for each call before the next, so its records are stored in counter order, once each.
            long previous = lastCounter.GetValueOrDefault((identity.Run, identity.Appender), -1);
            if (identity.Counter != previous + 1)
            {
                Assert.Fail($"Sequence {sequence} holds {identity}, but that appender's previous stored record was counter {previous}.");
            }

            lastCounter[(identity.Run, identity.Appender)] = identity.Counter;
            stored.Add(identity);
        }

        Assert.False(log.TryRead(next, out _), $"Sequence {next} (NextSequence) can be read.");

        int partialBatches = 0;
        foreach (CrashRun run in runs)
        {
            var lastAcked = new Dictionary<int, long>();
            foreach (Ack ack in run.Acks)
            {
                var expected = new RecordIdentity(run.Workload.Run, ack.Appender, ack.Counter, ack.Length);
                if (ack.Sequence >= next)
                {
                    Assert.Fail($"Acknowledged {expected} at sequence {ack.Sequence} is lost: the log ends before {next}.");
                }

                if (stored[(int)ack.Sequence] != expected)
                {
                    Assert.Fail($"Acknowledged {expected} at sequence {ack.Sequence}, but the log holds {stored[(int)ack.Sequence]} there.");
                }

                lastAcked[ack.Appender] = Math.Max(lastAcked.GetValueOrDefault(ack.Appender, -1), ack.Counter);
            }

            // Beyond its last printed ack an appender can have stored only the rest of its one unfinished call.
            for (int appender = 0; appender < run.Workload.Appenders; appender++)
            {
                long acked = lastAcked.GetValueOrDefault(appender, -1);
                long present = lastCounter.GetValueOrDefault((run.Workload.Run, appender), -1);
                Assert.True(
                    present - acked <= run.Workload.Batch,
                    $"Run {run.Workload.Run} appender {appender}: last ack counter {acked}, but the log holds up to counter {present}, more than one call of {run.Workload.Batch} beyond it.");

                // Batches start at counters that are multiples of the batch size.
                if ((present + 1) % run.Workload.Batch != 0)
                {
                    partialBatches++;
                }
            }
        }

        return (next, partialBatches);
    }

    private static void AssertNothingAtOrAbove(CapturingLogger logger, LogLevel level, string when)
    {
        LogEntry[] bad = [.. logger.Entries.Where(e => e.Level >= level)];
        Assert.True(bad.Length == 0, $"The log reported problems when {when}: {string.Join(" | ", bad.Select(e => $"{e.Level}: {e.Message}"))}");
    }
}
