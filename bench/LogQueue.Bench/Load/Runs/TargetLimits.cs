namespace LogQueue.Bench.Load.Runs;

/// <summary>What the target accepts: the most messages per call and the largest message.</summary>
/// <param name="MaxBatchSize">Messages per send, receive or delete call.</param>
/// <param name="MaxMessageSize">Bytes per message.</param>
/// <param name="Description">The target for the report (endpoint and server version, or the data directory and durability).</param>
internal sealed record TargetLimits(int MaxBatchSize, int MaxMessageSize, string Description);
