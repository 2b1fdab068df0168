using LogQueue.CrashHelper;

// The process the crash tests kill: see AppendCommand and AckWriter (append), QueueCommand and
// QueueEventWriter (queue) for what it prints.
const string Usage = """
    usage: LogQueue.CrashHelper append --dir D --appenders N --segment-capacity B --max-record-size B
                                       --min-size B --max-size B --batch K [--durability always|interval|none] [--run R]
           LogQueue.CrashHelper queue  --dir D [--producers N] [--consumers M] [--send-batch K] [--receive-batch K]
                                       [--max-padding C] [--visibility-ms T] [--wait-ms T] [--delete-percent P]
                                       [--release-percent P] [--max-receive-count N] [--segment-capacity B]
                                       [--max-message-size B] [--run R]
    """;

string command = args.Length == 0 ? string.Empty : args[0];
if (command is not ("append" or "queue"))
{
    await Console.Error.WriteLineAsync(Usage);
    return 2;
}

Func<Task<int>> run;
try
{
    if (command == "append")
    {
        AppendWorkload workload = AppendWorkload.Parse(args[1..]);
        run = () => AppendCommand.RunAsync(workload);
    }
    else
    {
        QueueWorkload workload = QueueWorkload.Parse(args[1..]);
        run = () => QueueCommand.RunAsync(workload);
    }
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + Usage);
    return 2;
}

return await run();
