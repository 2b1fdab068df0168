namespace LogQueue.Cli.Output.Json;

/// <summary>A stored message in <c>--json</c> output of <c>send</c>.</summary>
internal sealed record SentJson(string MessageId, long SequenceNumber);
