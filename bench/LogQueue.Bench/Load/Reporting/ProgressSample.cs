namespace LogQueue.Bench.Load.Reporting;

/// <summary>One second of a run, for the live view and the report's timeline.</summary>
/// <param name="Elapsed">Seconds since the run started.</param>
/// <param name="Phase">The phase at the end of the second.</param>
/// <param name="SentPerSecond">Acknowledged sends in the second.</param>
/// <param name="ReceivedPerSecond">Receipts in the second.</param>
/// <param name="SentMegabytesPerSecond">Body MB sent in the second.</param>
/// <param name="SendP99">p99 send latency in the second, µs; null without sends.</param>
/// <param name="EndToEndP99">p99 end-to-end latency in the second, µs; null without receipts.</param>
/// <param name="Errors">Failures so far.</param>
public sealed record ProgressSample(
    double Elapsed,
    string Phase,
    double SentPerSecond,
    double ReceivedPerSecond,
    double SentMegabytesPerSecond,
    double? SendP99,
    double? EndToEndP99,
    long Errors);
