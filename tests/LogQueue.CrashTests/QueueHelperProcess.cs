using LogQueue.CrashHelper;

namespace LogQueue.CrashTests;

/// <summary>
/// The crash helper's <c>queue</c> command as a child process, killed once its output reaches a
/// <see cref="QueueKillPoint"/>.
/// </summary>
internal sealed class QueueHelperProcess : CrashHelperProcess
{
    private readonly List<QueueLine> _lines = [];
    private readonly QueueRunProgress _progress = new();
    private QueueKillPoint? _killPoint;

    private QueueHelperProcess(QueueWorkload workload)
        : base(CrashHelperLauncher.Start("queue", workload.ToArguments()))
    {
        Workload = workload;
    }

    public QueueWorkload Workload { get; }

    protected override string WorkloadText => Workload.ToString()!;

    protected override string Progress => $"Progress: {_progress}";

    /// <summary>Starts the helper on <paramref name="workload"/>.</summary>
    public static QueueHelperProcess Start(QueueWorkload workload) => new(workload);

    /// <summary>
    /// Waits (at most <paramref name="timeout"/>) until the helper's output reaches <paramref name="killPoint"/>,
    /// kills it with SIGKILL and returns every complete line it printed (see <see cref="CrashHelperProcess.KillAtKillPointAsync"/>).
    /// </summary>
    public async Task<QueueCrashRun> KillAtAsync(QueueKillPoint killPoint, TimeSpan timeout)
    {
        await KillAtKillPointAsync(
            () =>
            {
                _killPoint = killPoint;
                return killPoint.IsReachedBy(_progress);
            },
            killPoint.ToString(),
            timeout);
        lock (Sync)
        {
            return new QueueCrashRun(Workload, [.. _lines]);
        }
    }

    protected override bool TryAccept(string line)
    {
        if (!QueueLine.TryParse(line, out QueueLine? parsed))
        {
            return false;
        }

        _lines.Add(parsed);
        _progress.Add(parsed);
        if (_killPoint is not null && _killPoint.IsReachedBy(_progress))
        {
            ReachKillPoint();
        }

        return true;
    }
}
