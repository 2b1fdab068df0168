using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LogQueue.Cli.Output;

/// <summary>
/// Where a command writes: results to stdout, as concise text lines or (with <c>--json</c>) one JSON object per
/// line; diagnostics to stderr, always one plain line starting with <c>lq:</c>.
/// </summary>
internal sealed class CliOutput
{
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    public CliOutput(TextWriter stdout, TextWriter stderr, bool json)
    {
        _stdout = stdout;
        _stderr = stderr;
        Json = json;
    }

    /// <summary>True when results are written as JSON lines.</summary>
    public bool Json { get; }

    /// <summary>Writes one result: <paramref name="text"/> in text mode, <paramref name="value"/> as one JSON line with <c>--json</c>.</summary>
    public void Result<T>(T value, JsonTypeInfo<T> typeInfo, string text)
    {
        _stdout.WriteLine(Json ? JsonSerializer.Serialize(value, typeInfo) : text);
    }

    /// <summary>Writes one line of text-mode output (callers write JSON through <see cref="Result"/>).</summary>
    public void Text(string line) => _stdout.WriteLine(line);

    /// <summary>Writes one diagnostic line to stderr.</summary>
    public void Error(string message) => _stderr.WriteLine("lq: " + message);

    /// <summary>Pushes everything written so far out, before an action that must only follow what the user has seen.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _stdout.FlushAsync(cancellationToken);
}
