namespace LogQueue.Cli.Output.Json;

/// <summary>One queue's counts in <c>--json</c> output of <c>stats</c>.</summary>
internal sealed record QueueStatsJson(string QueueName, long Visible, long InFlight, long Delayed);
