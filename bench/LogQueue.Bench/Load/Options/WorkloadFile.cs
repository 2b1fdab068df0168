using System.Globalization;
using System.Text.Json;

namespace LogQueue.Bench.Load.Options;

/// <summary>
/// A workload file: one JSON object whose properties are the load command's options (<c>"producers": 16</c>,
/// <c>"size": "1KiB"</c>, <c>"drainTimeout": "5s"</c>, <c>"fifo": true</c>), parsed exactly as the same options
/// on the command line. An unknown property is an error, so a typo never silently runs a different workload.
/// Properties starting with <c>_</c> or named <c>description</c> are comments.
/// </summary>
public static class WorkloadFile
{
    /// <summary>Applies the file at <paramref name="path"/> to <paramref name="options"/>.</summary>
    public static void Apply(string path, LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LoadOptionsException($"--workload: cannot read {path}: {e.Message}", e);
        }

        ApplyJson(json, options, path);
    }

    /// <summary>Applies workload JSON text; <paramref name="source"/> names it in errors.</summary>
    public static void ApplyJson(string json, LoadOptions options, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(options);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new LoadOptionsException($"--workload: {source} is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new LoadOptionsException($"--workload: {source} must hold one JSON object of options.");
            }

            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Name.StartsWith('_') || property.Name.Equals("description", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                LoadSetting setting = LoadSetting.Find(property.Name)
                    ?? throw new LoadOptionsException($"--workload: {source} has an unknown option '{property.Name}'.");
                setting.Apply(options, TextOf(property, source));
            }
        }
    }

    private static string TextOf(JsonProperty property, string source) => property.Value.ValueKind switch
    {
        JsonValueKind.String => property.Value.GetString()!,
        JsonValueKind.Number => property.Value.GetRawText(),
        JsonValueKind.True => bool.TrueString,
        JsonValueKind.False => bool.FalseString,
        _ => throw new LoadOptionsException(string.Create(
            CultureInfo.InvariantCulture,
            $"--workload: {source}: '{property.Name}' must be a string, number or boolean, not {property.Value.ValueKind}.")),
    };
}
