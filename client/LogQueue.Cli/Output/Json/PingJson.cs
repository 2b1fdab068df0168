namespace LogQueue.Cli.Output.Json;

/// <summary>The round trip in <c>--json</c> output of <c>ping</c>.</summary>
internal sealed record PingJson(double RoundTripMs);
