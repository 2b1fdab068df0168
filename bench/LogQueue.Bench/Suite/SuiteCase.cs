using System.Globalization;
using System.Text.Json.Serialization;
using LogQueue.Bench.Load.Options;
using LogQueue.Engine.Queues;

namespace LogQueue.Bench.Suite;

/// <summary>One run of the suite's matrix: a durability mode and a workload.</summary>
/// <param name="Durability">The server's durability: none, interval or always.</param>
/// <param name="Producers">Concurrent producers.</param>
/// <param name="Consumers">Concurrent consumers.</param>
/// <param name="Size">Body size in bytes.</param>
/// <param name="Batch">Messages per send, receive and delete call.</param>
/// <param name="Rate">Open loop rate, or null for a closed loop.</param>
/// <param name="ReceiveBatch">Messages per receive and delete call when not <paramref name="Batch"/>.</param>
/// <param name="Fifo">A FIFO queue in this throughput mode, or null for a standard queue.</param>
/// <param name="Groups">A FIFO case's message groups.</param>
public sealed record SuiteCase(
    string Durability,
    int Producers,
    int Consumers,
    int Size,
    int Batch,
    double? Rate = null,
    int? ReceiveBatch = null,
    FifoThroughputLimit? Fifo = null,
    int Groups = 0)
{
    /// <summary>A short name: "none p16 128B b10", "none p16 c16 128 B b10 fifo/perQueue g1000".</summary>
    public string Name => string.Create(
        CultureInfo.InvariantCulture,
        $"{Durability} p{Producers} c{Consumers} {SizeText(Size)} b{Batch}{(ReceiveBatch is { } rb ? $"/r{rb}" : string.Empty)}{(Rate is { } r ? $" @{r:0}/s" : string.Empty)}{(Fifo is { } f ? $" fifo/{FifoQueueAttributes.Format(f)} g{Groups}" : string.Empty)}");

    /// <summary>The standard-queue case a FIFO case is compared with: the same workload on a standard queue.</summary>
    [JsonIgnore] // Itself a case with a Standard: written out, it would recurse.
    public SuiteCase Standard => this with { Fifo = null, Groups = 0 };

    /// <summary>The load options of this case against <paramref name="server"/>, on its own queue.</summary>
    public LoadOptions ToOptions(string server, string queue, SuitePhases phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        return new LoadOptions
        {
            Server = server,
            Queue = queue,
            Producers = Producers,
            Consumers = Consumers,
            Size = new MessageSizeRange(Size, Size),
            Batch = Batch,
            ReceiveBatch = ReceiveBatch,
            Rate = Rate,
            Warmup = phases.Warmup,
            Duration = phases.Duration,
            DrainTimeout = phases.DrainTimeout,
            Fifo = Fifo is not null,
            Groups = Fifo is not null ? Groups : new LoadOptions().Groups,
            FifoThroughput = Fifo,
        };
    }

    /// <summary>128 B, 1 KiB, 64 KiB.</summary>
    public static string SizeText(int size) => size switch
    {
        >= 1024 when size % 1024 == 0 => string.Create(CultureInfo.InvariantCulture, $"{size / 1024} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{size} B"),
    };
}
