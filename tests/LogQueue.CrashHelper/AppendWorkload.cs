using System.Globalization;
using LogQueue.Engine.Log;

namespace LogQueue.CrashHelper;

/// <summary>
/// What one run of <c>LogQueue.CrashHelper append</c> does: the log settings, how many appenders, and the
/// record sizes. The crash tests build one, turn it into the command line, and use the same object to
/// recompute every record the run can have written.
/// </summary>
public sealed record AppendWorkload
{
    /// <summary>The log directory.</summary>
    public required string Directory { get; init; }

    /// <summary>Concurrent appenders; each numbers its records 0, 1, 2, ...</summary>
    public int Appenders { get; init; } = 4;

    /// <summary>The log's segment capacity.</summary>
    public long SegmentCapacity { get; init; } = 1L << 20;

    /// <summary>The log's largest record payload (identity block plus body).</summary>
    public int MaxRecordSize { get; init; } = 64 << 10;

    /// <summary>The smallest body, in bytes.</summary>
    public int MinSize { get; init; } = 1;

    /// <summary>The largest body, in bytes.</summary>
    public int MaxSize { get; init; } = 1024;

    /// <summary>Records per append call: 1 uses AppendAsync, more uses AppendBatchAsync.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>The log's durability mode.</summary>
    public DurabilityMode Durability { get; init; } = DurabilityMode.Always;

    /// <summary>
    /// Tells runs on the same directory apart: it is part of every record's identity, so a restarted
    /// helper's counters (which start at 0 again) never collide with an earlier run's.
    /// </summary>
    public int Run { get; init; }

    /// <summary>The log options the helper opens the log with (the tests reopen with the same ones).</summary>
    public SegmentedLogOptions ToLogOptions() => new()
    {
        SegmentCapacity = SegmentCapacity,
        MaxRecordSize = MaxRecordSize,
        Durability = Durability,
    };

    /// <summary>The arguments after the <c>append</c> command word.</summary>
    public IReadOnlyList<string> ToArguments() =>
    [
        "--dir", Directory,
        "--appenders", Format(Appenders),
        "--segment-capacity", Format(SegmentCapacity),
        "--max-record-size", Format(MaxRecordSize),
        "--min-size", Format(MinSize),
        "--max-size", Format(MaxSize),
        "--batch", Format(Batch),
        "--durability", Durability.ToString().ToLowerInvariant(),
        "--run", Format(Run),
    ];

    /// <summary>Parses the arguments after the <c>append</c> command word.</summary>
    /// <exception cref="FormatException">An argument is unknown, missing its value, or out of range.</exception>
    public static AppendWorkload Parse(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < arguments.Count; i += 2)
        {
            string name = arguments[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= arguments.Count)
            {
                throw new FormatException($"Expected '--name value' pairs; got '{name}'.");
            }

            values[name[2..]] = arguments[i + 1];
        }

        string[] known = ["dir", "appenders", "segment-capacity", "max-record-size", "min-size", "max-size", "batch", "durability", "run"];
        foreach (string name in values.Keys)
        {
            if (!known.Contains(name))
            {
                throw new FormatException($"Unknown option '--{name}'.");
            }
        }

        if (!values.TryGetValue("dir", out string? directory))
        {
            throw new FormatException("--dir is required.");
        }

        var workload = new AppendWorkload
        {
            Directory = directory,
            Appenders = (int)Number(values, "appenders", 4),
            SegmentCapacity = Number(values, "segment-capacity", 1L << 20),
            MaxRecordSize = (int)Number(values, "max-record-size", 64 << 10),
            MinSize = (int)Number(values, "min-size", 1),
            MaxSize = (int)Number(values, "max-size", 1024),
            Batch = (int)Number(values, "batch", 1),
            Durability = values.TryGetValue("durability", out string? mode) ? ParseDurability(mode) : DurabilityMode.Always,
            Run = (int)Number(values, "run", 0),
        };
        workload.Validate();
        return workload;
    }

    /// <summary>Throws <see cref="FormatException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Appenders is < 1 or > 1024)
        {
            throw new FormatException($"--appenders must be 1 to 1024; it is {Appenders}.");
        }

        if (MinSize < 0 || MaxSize < MinSize)
        {
            throw new FormatException($"Need 0 <= --min-size <= --max-size; they are {MinSize} and {MaxSize}.");
        }

        if (MaxSize + CrashRecord.IdentitySize > MaxRecordSize)
        {
            throw new FormatException($"--max-size {MaxSize} plus the {CrashRecord.IdentitySize}-byte identity block exceeds --max-record-size {MaxRecordSize}.");
        }

        if (Batch is < 1 or > 4096)
        {
            throw new FormatException($"--batch must be 1 to 4096; it is {Batch}.");
        }

        if (Run < 0)
        {
            throw new FormatException($"--run must not be negative; it is {Run}.");
        }
    }

    private static long Number(Dictionary<string, string> values, string name, long fallback)
    {
        if (!values.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value > int.MaxValue && name != "segment-capacity")
        {
            throw new FormatException($"--{name} must be a non-negative integer; it is '{text}'.");
        }

        return value;
    }

    private static DurabilityMode ParseDurability(string text) =>
        Enum.TryParse(text, ignoreCase: true, out DurabilityMode mode) && Enum.IsDefined(mode)
            ? mode
            : throw new FormatException($"--durability must be always, interval or none; it is '{text}'.");

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
