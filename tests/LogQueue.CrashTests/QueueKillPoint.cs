namespace LogQueue.CrashTests;

/// <summary>
/// When to kill the helper's <c>queue</c> run: once it has printed at least this many lines of each kind
/// (and, for <see cref="ReceivedAtCount"/>, this many <c>received</c> lines with a receive count of at
/// least <see cref="AtCount"/>).
/// </summary>
internal sealed record QueueKillPoint(int Sent = 0, int Received = 0, int Deleted = 0, int ReceivedAtCount = 0, int AtCount = int.MaxValue)
{
    public bool IsReachedBy(QueueRunProgress progress) =>
        progress.Sent >= Sent
        && progress.Received >= Received
        && progress.Deleted >= Deleted
        && progress.ReceivedAtLeast(AtCount) >= ReceivedAtCount;
}
