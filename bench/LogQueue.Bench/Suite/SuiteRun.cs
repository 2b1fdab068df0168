using LogQueue.Bench.Load.Reporting;

namespace LogQueue.Bench.Suite;

/// <summary>One case's outcome: the load report, plus the server's CPU over the run; <see cref="Failure"/> when it could not run.</summary>
/// <param name="Case">The case.</param>
/// <param name="Report">The load report; null when the run failed to start or was refused.</param>
/// <param name="ServerCpuSeconds">The server's CPU time over the whole run (warm-up and drain included).</param>
/// <param name="Failure">Why there is no report.</param>
public sealed record SuiteRun(SuiteCase Case, LoadReport? Report, double ServerCpuSeconds, string? Failure)
{
    /// <summary>Server CPU µs per message sent or received over the whole run.</summary>
    public double? ServerMicrosecondsPerMessage =>
        Report is { } r && r.Counts.Sent + r.Counts.Received > 0
            ? Math.Round(ServerCpuSeconds * 1e6 / (r.Counts.Sent + r.Counts.Received), 2)
            : null;
}
