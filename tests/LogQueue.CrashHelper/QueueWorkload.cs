using System.Globalization;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;

namespace LogQueue.CrashHelper;

/// <summary>
/// What one run of <c>LogQueue.CrashHelper queue</c> does: the engine settings, the queue (and its
/// dead-letter queue), how many producers and consumers, and what the consumers do with what they
/// receive. The crash tests build one, turn it into the command line, and reopen the data directory with
/// the same engine options.
/// </summary>
public sealed record QueueWorkload
{
    /// <summary>The queue the producers send to and the consumers receive from.</summary>
    public const string QueueName = "orders";

    /// <summary>The queue's name when <see cref="Fifo"/> is set.</summary>
    public const string FifoQueueName = "orders.fifo";

    /// <summary>The dead-letter queue, created when <see cref="MaxReceiveCount"/> is set.</summary>
    public const string DeadLetterQueueName = "orders-dlq";

    /// <summary>
    /// Whether the queue is a FIFO queue: each producer sends to its own message group, every message with a
    /// deduplication id that follows from its identity (<see cref="DeduplicationId"/>).
    /// </summary>
    public bool Fifo { get; init; }

    /// <summary>The queue the producers send to: <see cref="QueueName"/>, or <see cref="FifoQueueName"/>.</summary>
    public string Queue => Fifo ? FifoQueueName : QueueName;

    /// <summary>The engine's data directory.</summary>
    public required string Directory { get; init; }

    /// <summary>Concurrent producers; each numbers its messages 0, 1, 2, ...</summary>
    public int Producers { get; init; } = 3;

    /// <summary>Concurrent consumers.</summary>
    public int Consumers { get; init; } = 2;

    /// <summary>The largest send batch; producers mix single sends with batches of 2 to this many (1: single sends only).</summary>
    public int SendBatch { get; init; } = 10;

    /// <summary>The largest receive batch; each receive asks for 1 to this many.</summary>
    public int ReceiveBatch { get; init; } = 10;

    /// <summary>The largest padding after a body's header, in characters (see <see cref="QueueMessageBody"/>).</summary>
    public int MaxPadding { get; init; } = 512;

    /// <summary>The visibility timeout of the consumers' receives, in milliseconds.</summary>
    public int VisibilityMilliseconds { get; init; } = 500;

    /// <summary>The long-poll wait of the consumers' receives, in milliseconds.</summary>
    public int WaitMilliseconds { get; init; } = 200;

    /// <summary>Of the messages a consumer receives, the percentage it deletes.</summary>
    public int DeletePercent { get; init; } = 60;

    /// <summary>
    /// Of the messages a consumer receives, the percentage it releases at once (visibility timeout 0); the
    /// rest it leaves in flight until their visibility timeout runs out.
    /// </summary>
    public int ReleasePercent { get; init; }

    /// <summary>The queue's redrive maxReceiveCount; 0 means no dead-letter queue.</summary>
    public int MaxReceiveCount { get; init; }

    /// <summary>The segment capacity of every queue's message log.</summary>
    public long SegmentCapacity { get; init; } = 64 << 10;

    /// <summary>The engine's and the queues' largest message, in bytes.</summary>
    public int MaxMessageSize { get; init; } = 4 << 10;

    /// <summary>
    /// Tells runs on the same directory apart: it is part of every body, so a restarted helper's counters
    /// (which start at 0 again) never make a body an earlier run also sent.
    /// </summary>
    public int Run { get; init; }

    /// <summary>The engine options the helper opens the directory with (the tests reopen with the same ones).</summary>
    public QueueEngineOptions ToEngineOptions() => new()
    {
        DataDirectory = Directory,
        Durability = DurabilityMode.Always,
        SegmentCapacity = SegmentCapacity,
        MaxAllowedMessageSize = MaxMessageSize,
    };

    /// <summary>The attributes of the queue the producers send to.</summary>
    public IReadOnlyDictionary<string, string> QueueAttributes()
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MaximumMessageSize"] = Format(MaxMessageSize),
        };

        if (Fifo)
        {
            attributes["FifoQueue"] = "true";
        }

        if (MaxReceiveCount > 0)
        {
            attributes["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{DeadLetterQueueName}}","maxReceiveCount":{{Format(MaxReceiveCount)}}}""";
        }

        return attributes;
    }

    /// <summary>The attributes of the dead-letter queue.</summary>
    public IReadOnlyDictionary<string, string> DeadLetterQueueAttributes() =>
        new Dictionary<string, string>(StringComparer.Ordinal) { ["MaximumMessageSize"] = Format(MaxMessageSize) };

    /// <summary>The arguments after the <c>queue</c> command word.</summary>
    public IReadOnlyList<string> ToArguments() =>
    [
        "--dir", Directory,
        "--producers", Format(Producers),
        "--consumers", Format(Consumers),
        "--send-batch", Format(SendBatch),
        "--receive-batch", Format(ReceiveBatch),
        "--max-padding", Format(MaxPadding),
        "--visibility-ms", Format(VisibilityMilliseconds),
        "--wait-ms", Format(WaitMilliseconds),
        "--delete-percent", Format(DeletePercent),
        "--release-percent", Format(ReleasePercent),
        "--max-receive-count", Format(MaxReceiveCount),
        "--segment-capacity", Format(SegmentCapacity),
        "--max-message-size", Format(MaxMessageSize),
        "--run", Format(Run),
        "--fifo", Fifo ? "1" : "0",
    ];

    /// <summary>The message group of a producer's messages on a FIFO queue.</summary>
    public static string GroupId(int producer) => "p" + Format(producer);

    /// <summary>The deduplication id of a message on a FIFO queue: a resend of the same message has the same one.</summary>
    public static string DeduplicationId(QueueMessageIdentity identity) =>
        $"{Format(identity.Run)}-{Format(identity.Producer)}-{Format(identity.Counter)}";

    /// <summary>Parses the arguments after the <c>queue</c> command word.</summary>
    /// <exception cref="FormatException">An argument is unknown, missing its value, or out of range.</exception>
    public static QueueWorkload Parse(IReadOnlyList<string> arguments)
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

        string[] known =
        [
            "dir", "producers", "consumers", "send-batch", "receive-batch", "max-padding", "visibility-ms", "wait-ms",
            "delete-percent", "release-percent", "max-receive-count", "segment-capacity", "max-message-size", "run", "fifo",
        ];
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

        var defaults = new QueueWorkload { Directory = directory };
        var workload = new QueueWorkload
        {
            Directory = directory,
            Producers = Number(values, "producers", defaults.Producers),
            Consumers = Number(values, "consumers", defaults.Consumers),
            SendBatch = Number(values, "send-batch", defaults.SendBatch),
            ReceiveBatch = Number(values, "receive-batch", defaults.ReceiveBatch),
            MaxPadding = Number(values, "max-padding", defaults.MaxPadding),
            VisibilityMilliseconds = Number(values, "visibility-ms", defaults.VisibilityMilliseconds),
            WaitMilliseconds = Number(values, "wait-ms", defaults.WaitMilliseconds),
            DeletePercent = Number(values, "delete-percent", defaults.DeletePercent),
            ReleasePercent = Number(values, "release-percent", defaults.ReleasePercent),
            MaxReceiveCount = Number(values, "max-receive-count", defaults.MaxReceiveCount),
            SegmentCapacity = Number(values, "segment-capacity", (int)defaults.SegmentCapacity),
            MaxMessageSize = Number(values, "max-message-size", defaults.MaxMessageSize),
            Run = Number(values, "run", defaults.Run),
            Fifo = Number(values, "fifo", 0) == 1,
        };
        workload.Validate();
        return workload;
    }

    /// <summary>Throws <see cref="FormatException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Check(Producers is >= 0 and <= 64, $"--producers must be 0 to 64; it is {Producers}.");
        Check(Consumers is >= 0 and <= 64, $"--consumers must be 0 to 64; it is {Consumers}.");
        Check(SendBatch is >= 1 and <= 100, $"--send-batch must be 1 to 100; it is {SendBatch}.");
        Check(ReceiveBatch is >= 1 and <= 100, $"--receive-batch must be 1 to 100; it is {ReceiveBatch}.");
        Check(MaxPadding >= 0 && QueueMessageBody.MaxHeaderLength + MaxPadding <= MaxMessageSize, $"--max-padding {MaxPadding} plus a {QueueMessageBody.MaxHeaderLength}-character header exceeds --max-message-size {MaxMessageSize}.");
        Check(VisibilityMilliseconds is >= 0 and <= 600_000, $"--visibility-ms must be 0 to 600000; it is {VisibilityMilliseconds}.");
        Check(WaitMilliseconds is >= 0 and <= 20_000, $"--wait-ms must be 0 to 20000; it is {WaitMilliseconds}.");
        Check(DeletePercent is >= 0 and <= 100 && ReleasePercent is >= 0 and <= 100 && DeletePercent + ReleasePercent <= 100, $"--delete-percent and --release-percent must be 0 to 100 and add up to at most 100; they are {DeletePercent} and {ReleasePercent}.");
        Check(MaxReceiveCount is >= 0 and <= 1000, $"--max-receive-count must be 0 to 1000; it is {MaxReceiveCount}.");
        Check(Run >= 0, $"--run must not be negative; it is {Run}.");
        Check(!Fifo || MaxReceiveCount == 0, "--fifo takes no --max-receive-count (the dead-letter queue is a standard queue).");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FormatException(message);
        }
    }

    private static int Number(Dictionary<string, string> values, string name, int fallback)
    {
        if (!values.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"--{name} must be a non-negative integer; it is '{text}'.");
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
