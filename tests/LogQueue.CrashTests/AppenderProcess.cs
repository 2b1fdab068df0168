using LogQueue.CrashHelper;

namespace LogQueue.CrashTests;

/// <summary>The crash helper's <c>append</c> command as a child process, killed once it has printed enough acks.</summary>
internal sealed class AppenderProcess : CrashHelperProcess
{
    private readonly List<Ack> _acks = [];
    private int _ackTarget = int.MaxValue;

    private AppenderProcess(AppendWorkload workload)
        : base(CrashHelperLauncher.Start("append", workload.ToArguments()))
    {
        Workload = workload;
    }

    public AppendWorkload Workload { get; }

    protected override string WorkloadText => Workload.ToString()!;

    protected override string Progress => $"Acks read: {_acks.Count}";

    /// <summary>Starts the helper on <paramref name="workload"/>.</summary>
    public static AppenderProcess Start(AppendWorkload workload) => new(workload);

    /// <summary>
    /// Waits (at most <paramref name="timeout"/>) until the helper has printed <paramref name="count"/> acks,
    /// kills it with SIGKILL and returns every complete ack line it printed (see <see cref="CrashHelperProcess.KillAtKillPointAsync"/>).
    /// </summary>
    public async Task<IReadOnlyList<Ack>> KillAfterAcksAsync(int count, TimeSpan timeout)
    {
        await KillAtKillPointAsync(
            () =>
            {
                _ackTarget = count;
                return _acks.Count >= count;
            },
            $"of {count} acks",
            timeout);
        lock (Sync)
        {
            return [.. _acks];
        }
    }

    protected override bool TryAccept(string line)
    {
        if (!Ack.TryParse(line, out Ack ack))
        {
            return false;
        }

        _acks.Add(ack);
        if (_acks.Count >= _ackTarget)
        {
            ReachKillPoint();
        }

        return true;
    }
}
