using System.Text.Json.Serialization;
using LogQueue.Engine.Log;

namespace LogQueue.Bench.Load.Options;

/// <summary>
/// One load run's workload: where it goes, how many producers and consumers, what they send, for how long.
/// Set from the command line, a workload file (<c>--workload</c>, the same names in JSON) or both, the command
/// line winning; <see cref="Validate"/> names the first setting that is wrong.
/// </summary>
public sealed class LoadOptions
{
    /// <summary>The most producers or consumers one run starts.</summary>
    public const int MaxWorkers = 4096;

    /// <summary>The most messages per send, receive or delete call the generator asks for.</summary>
    public const int MaxBatch = 1000;

    /// <summary>A running server as host:port; null with <see cref="Embedded"/>.</summary>
    public string? Server { get; set; }

    /// <summary>A data directory to run the engine in-process over, through the embedded client.</summary>
    public string? Embedded { get; set; }

    /// <summary>The embedded engine's durability; a server's durability is the server's own setting.</summary>
    public DurabilityMode? Durability { get; set; }

    /// <summary>The queue name, or the prefix of the names with <see cref="Queues"/> &gt; 1.</summary>
    public string Queue { get; set; } = "load";

    /// <summary>How many queues the producers and consumers are spread over.</summary>
    public int Queues { get; set; } = 1;

    /// <summary>FIFO queues (names end in <c>.fifo</c>): every message carries a group id and order per group is checked.</summary>
    public bool Fifo { get; set; }

    /// <summary>How many message groups a FIFO run spreads its messages over.</summary>
    public int Groups { get; set; } = 16;

    /// <summary>
    /// A FIFO run's throughput mode; <see cref="Engine.Queues.FifoThroughputLimit.PerMessageGroupId"/> (high throughput) also
    /// deduplicates per message group, which SQS requires of that mode. Null: not set (perQueue, SQS's default).
    /// </summary>
    public Engine.Queues.FifoThroughputLimit? FifoThroughput { get; set; }

    /// <summary>Concurrent producers: in a closed loop each has one send (of <see cref="Batch"/> messages) outstanding.</summary>
    public int Producers { get; set; } = 1;

    /// <summary>Concurrent consumers; 0 measures producing alone (nothing is checked for loss).</summary>
    public int Consumers { get; set; } = 1;

    /// <summary>Body sizes.</summary>
    public MessageSizeRange Size { get; set; } = new(128, 128);

    /// <summary>Messages per send, receive and delete call (1 uses the single-message calls).</summary>
    public int Batch { get; set; } = 1;

    /// <summary>Messages per receive and delete call when they should differ from <see cref="Batch"/> (a service that sends singly and receives ten at a time).</summary>
    public int? ReceiveBatch { get; set; }

    /// <summary>Messages per receive and delete call.</summary>
    public int ConsumerBatch => ReceiveBatch ?? Batch;

    /// <summary>How long the measured phase lasts; ignored when <see cref="Messages"/> is set.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A fixed number of measured messages instead of a duration.</summary>
    public long? Messages { get; set; }

    /// <summary>How long to run before measuring (its messages are checked, not counted in rates or latencies).</summary>
    public TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Open loop: this many messages per second in all, sent on schedule whether or not earlier sends finished.</summary>
    public double? Rate { get; set; }

    /// <summary>How long consumers may take after the last send to receive every acknowledged message.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections the network client spreads its calls over.</summary>
    public int Connections { get; set; } = 1;

    /// <summary>Where to write every figure as JSON; null for none.</summary>
    [JsonIgnore]
    public string? JsonFile { get; set; }

    /// <summary>The attributes a run creates its queues with: none for standard queues.</summary>
    public Dictionary<string, string>? QueueAttributes()
    {
        if (!Fifo)
        {
            return null;
        }

        // Content-based deduplication: every body carries a unique header, so no two messages of a run share a hash.
        var attributes = new Dictionary<string, string> { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = "true" };
        if (FifoThroughput == Engine.Queues.FifoThroughputLimit.PerMessageGroupId)
        {
            attributes["DeduplicationScope"] = "messageGroup";
            attributes["FifoThroughputLimit"] = "perMessageGroupId";
        }

        return attributes;
    }

    /// <summary>The queue names of this run.</summary>
    public IReadOnlyList<string> QueueNames()
    {
        string suffix = Fifo ? ".fifo" : string.Empty;
        if (Queues == 1)
        {
            return [Queue + suffix];
        }

        return Enumerable.Range(0, Queues).Select(i => $"{Queue}-{i}{suffix}").ToArray();
    }

    /// <summary>Throws <see cref="LoadOptionsException"/> naming the first inconsistent or out-of-range setting.</summary>
    public void Validate()
    {
        if ((Server is null) == (Embedded is null))
        {
            throw new LoadOptionsException("Name exactly one target: --server host:port (a running server) or --embedded DIR (the engine in-process).");
        }

        if (Durability is not null && Embedded is null)
        {
            throw new LoadOptionsException("--durability applies to --embedded; a server's durability is set when the server starts (its own --durability).");
        }

        Require(Queues is >= 1 and <= 1000, "--queues must be 1 to 1000");
        Require(Producers is >= 1 and <= MaxWorkers, $"--producers must be 1 to {MaxWorkers}");
        Require(Consumers is >= 0 and <= MaxWorkers, $"--consumers must be 0 to {MaxWorkers}");
        Require(Batch is >= 1 and <= MaxBatch, $"--batch must be 1 to {MaxBatch}");
        Require(ReceiveBatch is null or (>= 1 and <= MaxBatch), $"--receive-batch must be 1 to {MaxBatch}");
        Require(Groups is >= 1 and <= 100_000, "--groups must be 1 to 100000");
        Require(FifoThroughput is null || Fifo, "--fifo-throughput applies to FIFO runs only: add --fifo");
        Require(Connections is >= 1 and <= Client.LogQueueClientOptions.MaxConnectionCount, $"--connections must be 1 to {Client.LogQueueClientOptions.MaxConnectionCount}");
        Require(Duration > TimeSpan.Zero, "--duration must be longer than 0");
        Require(Warmup >= TimeSpan.Zero, "--warmup must not be negative");
        Require(DrainTimeout >= TimeSpan.Zero, "--drain-timeout must not be negative");
        Require(Messages is null or > 0, "--messages must be at least 1");
        Require(Rate is null or (> 0 and <= 100_000_000), "--rate must be more than 0 and at most 100,000,000 messages per second");
        string longestName = QueueNames()[^1];
        Require(
            Queue.Length > 0 && longestName.Length <= 80 && Queue.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'),
            $"--queue must be letters, digits, '-' and '_', short enough that '{longestName}' has at most 80 characters");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new LoadOptionsException(message + ".");
        }
    }
}
