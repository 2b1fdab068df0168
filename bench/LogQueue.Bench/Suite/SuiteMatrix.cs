using LogQueue.Engine.Queues;

namespace LogQueue.Bench.Suite;

/// <summary>
/// The suite's fixed matrix. With durability <c>none</c>: every combination of producers 1/4/16/64, sizes
/// 128 B/1 KiB/64 KiB and batch 1/10/100, consumers one per producer up to 16. With <c>interval</c> and
/// <c>always</c>: producers × batch at 128 B, and the other sizes at 16 producers, batch 10. Each mode adds an
/// round-trip run (one producer sending single 128 B messages one at a time, no consumers), a group-commit run (64
/// producers of single messages, no consumers) and an open-loop
/// low-load latency run (one producer, single 128 B messages at 1,000 per second, two consumers receiving up to 10). The quick matrix
/// keeps a corner of each. FIFO cases (1,000 groups, in both throughput modes) repeat standard cases of the matrix, so each
/// has its standard twin to be compared with.
/// </summary>
public static class SuiteMatrix
{
    private static readonly int[] ProducerCounts = [1, 4, 16, 64];
    private static readonly int[] Sizes = [128, 1024, 64 * 1024];
    private static readonly int[] Batches = [1, 10, 100];

    /// <summary>The durability modes in the order the suite runs them.</summary>
    public static IReadOnlyList<string> Modes { get; } = ["none", "interval", "always"];

    /// <summary>The message groups of the FIFO cases (issue 6: <c>--fifo --groups 1000</c>).</summary>
    public const int FifoGroups = 1000;

    /// <summary>The open-loop rate of the latency run, messages per second.</summary>
    public const double LatencyRate = 1000;

    /// <summary>The cases for <paramref name="durability"/>.</summary>
    public static IReadOnlyList<SuiteCase> For(string durability, bool quick)
    {
        var cases = new List<SuiteCase> { RoundTripCase(durability), GroupCommitCase(durability) };
        if (quick)
        {
            cases.Add(Case(durability, 1, 128, 1));
            cases.Add(Case(durability, 16, 128, 10));
            if (durability == "none")
            {
                cases.Add(Case(durability, 16, 128, 100));
                cases.Add(Case(durability, 4, 64 * 1024, 10));
            }
            else
            {
                cases.Add(Case(durability, 64, 128, 1));
            }

            cases.Add(LatencyCase(durability));
            cases.AddRange(FifoCases(Case(durability, 16, 128, 10)));
            return cases;
        }

        foreach (int producers in ProducerCounts)
        {
            foreach (int size in durability == "none" ? Sizes : [128])
            {
                foreach (int batch in Batches)
                {
                    cases.Add(Case(durability, producers, size, batch));
                }
            }
        }

        if (durability != "none")
        {
            cases.Add(Case(durability, 16, 1024, 10));
            cases.Add(Case(durability, 16, 64 * 1024, 10));
        }

        cases.Add(LatencyCase(durability));
        cases.AddRange(FifoCases(Case(durability, 16, 128, 10)));
        if (durability == "none")
        {
            cases.AddRange(FifoCases(Case(durability, 64, 128, 100)));
        }

        return cases;
    }

    /// <summary>The same workload on FIFO queues of 1,000 groups, per queue and high throughput.</summary>
    private static IEnumerable<SuiteCase> FifoCases(SuiteCase standard) =>
    [
        standard with { Fifo = FifoThroughputLimit.PerQueue, Groups = FifoGroups },
        standard with { Fifo = FifoThroughputLimit.PerMessageGroupId, Groups = FifoGroups },
    ];

    /// <summary>64 producers of single messages and nothing else: how close sends come to the group-commit limit.</summary>
    private static SuiteCase GroupCommitCase(string durability) => new(durability, 64, 0, 128, 1);

    /// <summary>Single sends one at a time and nothing else: the round trip at low load.</summary>
    private static SuiteCase RoundTripCase(string durability) => new(durability, 1, 0, 128, 1);

    /// <summary>One producer sending single messages on schedule; two consumers receiving up to 10 at a time keep up even when every delete waits for an fsync.</summary>
    private static SuiteCase LatencyCase(string durability) => new(durability, 1, 2, 128, 1, LatencyRate, ReceiveBatch: 10);

    private static SuiteCase Case(string durability, int producers, int size, int batch) =>
        new(durability, producers, Math.Min(producers, 16), size, batch);
}
