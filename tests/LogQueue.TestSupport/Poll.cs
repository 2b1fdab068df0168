namespace LogQueue.TestSupport;

/// <summary>
/// A bounded wait for something a background loop does (a flush, a file being recycled). Only for
/// outcomes no test clock can drive; the timeout is generous because it is a failure bound, not a timing.
/// </summary>
public static class Poll
{
    /// <summary>The default bound: long enough for a loaded CI machine, short enough to fail a hung test.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Checks <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes, running
    /// <paramref name="beforeEachCheck"/> first each round (to advance a test clock, for instance).
    /// Returns whether the condition held.
    /// </summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan? timeout = null, Action? beforeEachCheck = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        DateTime deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            beforeEachCheck?.Invoke();
            if (condition())
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(5).ConfigureAwait(false);
        }
    }
}
