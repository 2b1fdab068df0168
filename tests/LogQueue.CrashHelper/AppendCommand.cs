using LogQueue.Engine.Log;

namespace LogQueue.CrashHelper;

/// <summary>
/// <c>append</c>: opens the log and runs the workload's appenders until the process is killed. Each appender
/// has one append (or one batch) in flight at a time and prints its acks before it starts the next, so at a
/// kill every record an appender wrote beyond its last printed ack belongs to that one unfinished call.
/// </summary>
internal static class AppendCommand
{
    public static async Task<int> RunAsync(AppendWorkload workload)
    {
        var acks = new AckWriter(Console.OpenStandardOutput());

        // Never disposed: the process runs until it is killed, which is the point.
        SegmentedLog log = SegmentedLog.Open(workload.Directory, workload.ToLogOptions(), new StandardErrorLogger());
        acks.Ready();

        Task[] appenders = new Task[workload.Appenders];
        for (int appender = 0; appender < appenders.Length; appender++)
        {
            int id = appender;
            appenders[appender] = Task.Run(() => AppendForeverAsync(log, workload, id, acks));
        }

        // Appenders end only by failing; report the first failure instead of hanging on the others.
        Task failed = await Task.WhenAny(appenders);
        await Console.Error.WriteLineAsync($"An appender failed: {failed.Exception?.GetBaseException()}");
        return 1;
    }

    private static async Task AppendForeverAsync(SegmentedLog log, AppendWorkload workload, int appender, AckWriter acks)
    {
        var records = new AppendRecord[workload.Batch];
        int[] lengths = new int[workload.Batch];
        for (long counter = 0; ; counter += records.Length)
        {
            for (int i = 0; i < records.Length; i++)
            {
                RecordIdentity identity = CrashRecord.IdentityOf(workload, appender, counter + i);
                records[i] = CrashRecord.Create(identity);
                lengths[i] = identity.Length;
            }

            long first = records.Length == 1
                ? await log.AppendAsync(records[0])
                : await log.AppendBatchAsync(records);
            acks.Acknowledged(first, appender, counter, lengths);
        }
    }
}
