using System.Text.Json;

namespace LogQueue.Cli.Tests.Infrastructure;

/// <summary>Parses <c>--json</c> output: every stdout line must be one complete JSON object.</summary>
public static class JsonLines
{
    public static IReadOnlyList<JsonElement> Parse(LqResult result)
    {
        var objects = new List<JsonElement>();
        foreach (string line in result.Lines)
        {
            using JsonDocument document = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            objects.Add(document.RootElement.Clone());
        }

        return objects;
    }

    public static JsonElement SingleObject(LqResult result) => Assert.Single(Parse(result));
}
