namespace LogQueue.Cli.Output.Json;

/// <summary>A message attribute in <c>--json</c> output: its type and either the text or the base64 of its bytes.</summary>
internal sealed record AttributeJson(string DataType, string? StringValue, string? BinaryValue);
