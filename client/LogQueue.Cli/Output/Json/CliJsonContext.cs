using System.Text.Json.Serialization;

namespace LogQueue.Cli.Output.Json;

/// <summary>
/// Source-generated serializers for everything <c>--json</c> prints: no reflection at run time, so the tool stays
/// trimmable and starts fast. camelCase names; absent optional fields are left out rather than written as null.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(MessageJson))]
[JsonSerializable(typeof(SentJson))]
[JsonSerializable(typeof(QueueJson))]
[JsonSerializable(typeof(StatsJson))]
[JsonSerializable(typeof(PingJson))]
[JsonSerializable(typeof(MoveTaskJson))]
[JsonSerializable(typeof(MoveTaskStartedJson))]
[JsonSerializable(typeof(MoveTaskCancelledJson))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
