namespace LogQueue.Cli.Output.Json;

/// <summary>The server's statistics in <c>--json</c> output of <c>stats</c>.</summary>
internal sealed record StatsJson(
    string ServerVersion,
    long UptimeMs,
    int OpenConnections,
    long ConnectionsAccepted,
    long RequestsServed,
    string Durability,
    IReadOnlyList<QueueStatsJson> Queues);
