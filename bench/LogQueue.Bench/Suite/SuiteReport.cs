namespace LogQueue.Bench.Suite;

/// <summary>Everything a suite measured; written as JSON beside docs/benchmarks.md.</summary>
/// <param name="StartedAt">When the suite started.</param>
/// <param name="Quick">True for the --quick matrix.</param>
/// <param name="Commit">The git commit measured, when known.</param>
/// <param name="Machine">The machine.</param>
/// <param name="ElapsedSeconds">How long the suite took.</param>
/// <param name="Runs">Every case's outcome.</param>
public sealed record SuiteReport(
    DateTimeOffset StartedAt,
    bool Quick,
    string? Commit,
    MachineDescription Machine,
    double ElapsedSeconds,
    IReadOnlyList<SuiteRun> Runs);
