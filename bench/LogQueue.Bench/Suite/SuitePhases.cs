namespace LogQueue.Bench.Suite;

/// <summary>
/// How long each case of a suite warms up, measures and may drain. The drain is bounded so the suite is: where
/// producers outrun consumers (batches of 100 are sent far faster than they are received and deleted) the backlog
/// left when the drain times out is reported as unconfirmed, and each case has a queue of its own, so no backlog
/// spills into the next case.
/// </summary>
/// <param name="Warmup">Before measuring.</param>
/// <param name="Duration">The measured window.</param>
/// <param name="DrainTimeout">The most a case waits for its consumers after the window.</param>
public sealed record SuitePhases(TimeSpan Warmup, TimeSpan Duration, TimeSpan DrainTimeout)
{
    /// <summary>The full matrix: 0.5 s + 2 s, drain at most 5 s.</summary>
    public static SuitePhases Full { get; } = new(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));

    /// <summary>The quick matrix: 0.5 s + 1 s, drain at most 3 s.</summary>
    public static SuitePhases Quick { get; } = new(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
}
