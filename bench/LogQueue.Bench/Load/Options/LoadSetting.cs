using System.Globalization;
using LogQueue.Engine.Log;

namespace LogQueue.Bench.Load.Options;

/// <summary>
/// One named setting of a load run, parsed the same way from the command line (<c>--drain-timeout 5s</c>) and
/// from a workload file (<c>"drainTimeout": "5s"</c> or <c>"drain-timeout": 5</c>): the value arrives as text
/// and <see cref="Apply"/> turns it into the option or throws <see cref="LoadOptionsException"/> naming it.
/// </summary>
/// <param name="Name">The command-line name without dashes (<c>drain-timeout</c>).</param>
/// <param name="HelpName">What the value looks like in help.</param>
/// <param name="Description">Help text.</param>
/// <param name="IsFlag">A switch without a value on the command line (<c>--fifo</c>); true/false in a file.</param>
/// <param name="Setter">Parses the text into the options.</param>
public sealed record LoadSetting(string Name, string HelpName, string Description, bool IsFlag, Action<LoadOptions, string> Setter)
{
    /// <summary>Every setting, in help order (<c>--workload</c> and <c>--json</c> are the command's own).</summary>
    public static IReadOnlyList<LoadSetting> All { get; } =
    [
        new("server", "host:port", "A running server to load.", false, (o, v) => o.Server = v),
        new("embedded", "dir", "Run the engine in-process over this data directory, through the embedded client.", false, (o, v) => o.Embedded = v),
        new("durability", "none|interval|always", "The embedded engine's durability (default always).", false, (o, v) => o.Durability = ParseDurability(v)),
        new("queue", "name", "The queue name, or the prefix with --queues (default load).", false, (o, v) => o.Queue = v),
        new("queues", "N", "Spread producers and consumers over N queues (default 1).", false, (o, v) => o.Queues = ParseInt(v)),
        new("fifo", "", "FIFO queues: group ids on every message, order per group checked.", true, (o, v) => o.Fifo = ParseBool(v)),
        new("groups", "N", "Message groups of a FIFO run (default 16).", false, (o, v) => o.Groups = ParseInt(v)),
        new("fifo-throughput", "perQueue|perMessageGroupId", "A FIFO run's FifoThroughputLimit (default perQueue); perMessageGroupId also sets DeduplicationScope messageGroup.", false, (o, v) => o.FifoThroughput = ParseFifoThroughput(v)),
        new("producers", "N", "Concurrent producers (default 1).", false, (o, v) => o.Producers = ParseInt(v)),
        new("consumers", "N", "Concurrent consumers; 0 measures producing alone (default 1).", false, (o, v) => o.Consumers = ParseInt(v)),
        new("size", "bytes|min-max", "Body size or range, K/KiB/M/MiB allowed (default 128).", false, (o, v) => o.Size = ParseSize(v)),
        new("batch", "N", "Messages per send, receive and delete call (default 1).", false, (o, v) => o.Batch = ParseInt(v)),
        new("receive-batch", "N", "Messages per receive and delete call, when not --batch.", false, (o, v) => o.ReceiveBatch = ParseInt(v)),
        new("duration", "time", "Length of the measured phase: 10s, 500ms, 2m (default 10s).", false, (o, v) => o.Duration = ParseDuration(v)),
        new("messages", "N", "Measure this many messages instead of a duration.", false, (o, v) => o.Messages = ParseLong(v)),
        new("warmup", "time", "Run this long before measuring (default 2s).", false, (o, v) => o.Warmup = ParseDuration(v)),
        new("rate", "msgs/s", "Open loop: send this many messages per second in all, latency measured from the intended send time.", false, (o, v) => o.Rate = ParseDouble(v)),
        new("drain-timeout", "time", "How long consumers may take after the last send to receive everything (default 30s).", false, (o, v) => o.DrainTimeout = ParseDuration(v)),
        new("connections", "N", "Connections of each network client, the producers' and the consumers' (default 1).", false, (o, v) => o.Connections = ParseInt(v)),
    ];

    /// <summary>Finds a setting by its command-line or JSON name (<c>drain-timeout</c>, <c>drainTimeout</c>, <c>DrainTimeout</c>).</summary>
    public static LoadSetting? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = Normalize(name);
        return All.FirstOrDefault(s => Normalize(s.Name) == key);
    }

    /// <summary>Sets this option from text.</summary>
    public void Apply(LoadOptions options, string value)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            Setter(options, value.Trim());
        }
        catch (FormatException e)
        {
            throw new LoadOptionsException($"--{Name}: {e.Message}", e);
        }
    }

    /// <summary>Parses SQS's names of a FIFO queue's throughput limit, case as SQS spells them.</summary>
    public static Engine.Queues.FifoThroughputLimit ParseFifoThroughput(string text) =>
        Engine.Queues.FifoQueueAttributes.TryParseLimit(text, out Engine.Queues.FifoThroughputLimit limit)
            ? limit
            : throw new FormatException($"'{text}' is not perQueue or perMessageGroupId.");

    /// <summary>Parses 10s, 500ms, 2m, 1h or a plain number of seconds.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        (string digits, double secondsPerUnit) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 0.001),
            _ when text.EndsWith("us", StringComparison.OrdinalIgnoreCase) => (text[..^2], 0.000_001),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1.0),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60.0),
            _ when text.EndsWith('h') || text.EndsWith('H') => (text[..^1], 3600.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double count)
            || !double.IsFinite(count)
            || count < 0
            || count * secondsPerUnit > TimeSpan.FromDays(1).TotalSeconds)
        {
            throw new FormatException($"'{text}' is not a time such as 10s, 500ms, 2m or a number of seconds (at most a day).");
        }

        return TimeSpan.FromSeconds(count * secondsPerUnit);
    }

    private static string Normalize(string name) => name.Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

    private static int ParseInt(string text) =>
        int.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"'{text}' is not a whole number.");

    private static long ParseLong(string text) =>
        long.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new FormatException($"'{text}' is not a whole number.");

    private static double ParseDouble(string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new FormatException($"'{text}' is not a number.");

    private static bool ParseBool(string text) =>
        bool.TryParse(text, out bool value) ? value : throw new FormatException($"'{text}' is not true or false.");

    private static MessageSizeRange ParseSize(string text) => MessageSizeRange.Parse(text);

    private static DurabilityMode ParseDurability(string text) => text.ToUpperInvariant() switch
    {
        "NONE" => DurabilityMode.None,
        "INTERVAL" => DurabilityMode.Interval,
        "ALWAYS" => DurabilityMode.Always,
        _ => throw new FormatException($"'{text}' is not a durability; use none, interval or always."),
    };
}
