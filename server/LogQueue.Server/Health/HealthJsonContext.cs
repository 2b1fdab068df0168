using System.Text.Json.Serialization;

namespace LogQueue.Server.Health;

/// <summary>Source-generated JSON for the health endpoints: no reflection on the probe path.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthReport))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
