using LogQueue.CrashHelper;

namespace LogQueue.CrashTests;

/// <summary>One helper run on a log directory and the acks it printed before it was killed.</summary>
internal sealed record CrashRun(AppendWorkload Workload, IReadOnlyList<Ack> Acks);
