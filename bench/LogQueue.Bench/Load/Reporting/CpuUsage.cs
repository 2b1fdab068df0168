namespace LogQueue.Bench.Load.Reporting;

/// <summary>CPU time of the generator's process over the measured window (with --embedded, the engine's too).</summary>
/// <param name="Seconds">CPU seconds, user and system.</param>
/// <param name="Cores">CPU seconds per wall-clock second: 1.0 is one core kept busy.</param>
/// <param name="MicrosecondsPerMessage">CPU time per message sent and received in the window.</param>
public sealed record CpuUsage(double Seconds, double Cores, double MicrosecondsPerMessage);
