using LogQueue.CrashHelper;

namespace LogQueue.CrashTests;

/// <summary>
/// Which messages the producers of some helper runs could have sent by the time they were killed: a
/// producer waits for each send (or batch) before the next, so past its last acknowledged counter it can
/// have stored at most its one unfinished call.
/// </summary>
internal sealed class SendBounds
{
    private readonly Dictionary<int, QueueWorkload> _workloads;
    private readonly Dictionary<(int Run, int Producer), long> _lastAcknowledged;

    public SendBounds(IReadOnlyList<QueueCrashRun> runs)
    {
        _workloads = runs.ToDictionary(r => r.Workload.Run, r => r.Workload);
        _lastAcknowledged = runs
            .SelectMany(r => r.SentMessages)
            .GroupBy(s => (s.Identity.Run, s.Identity.Producer))
            .ToDictionary(g => g.Key, g => g.Max(s => s.Identity.Counter));
    }

    public bool CouldHaveSent(QueueMessageIdentity identity) =>
        _workloads.TryGetValue(identity.Run, out QueueWorkload? workload)
        && identity.Producer < workload.Producers
        && identity.Counter <= _lastAcknowledged.GetValueOrDefault((identity.Run, identity.Producer), -1) + workload.SendBatch;
}
