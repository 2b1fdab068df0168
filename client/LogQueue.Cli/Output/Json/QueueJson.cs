namespace LogQueue.Cli.Output.Json;

/// <summary>A queue in <c>--json</c> output of <c>create-queue</c> and <c>list-queues</c>.</summary>
internal sealed record QueueJson(string QueueName);
