using System.Text.Json.Serialization;

namespace LogQueue.Engine.Queues;

/// <summary>Source-generated System.Text.Json code for <c>queue.json</c>: no reflection, trimming-safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(QueueMetadataDocument))]
[JsonSerializable(typeof(QueueMetadataDocument.VersionProbe))]
internal sealed partial class QueueMetadataJsonContext : JsonSerializerContext
{
}
