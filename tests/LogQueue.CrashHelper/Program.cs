using LogQueue.CrashHelper;

// The process the crash tests kill: see AppendCommand and AckWriter for what it prints.
const string Usage = """
    usage: LogQueue.CrashHelper append --dir D --appenders N --segment-capacity B --max-record-size B
                                       --min-size B --max-size B --batch K [--durability always|interval|none] [--run R]
    """;

if (args.Length == 0 || args[0] != "append")
{
    await Console.Error.WriteLineAsync(Usage);
    return 2;
}

AppendWorkload workload;
try
{
    workload = AppendWorkload.Parse(args[1..]);
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + Usage);
    return 2;
}

return await AppendCommand.RunAsync(workload);
