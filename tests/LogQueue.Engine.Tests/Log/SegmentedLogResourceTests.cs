using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Support;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Log;

/// <summary>A closed log leaves nothing behind in the process: no descriptor, no mapping.</summary>
[Collection(ProcessWideCollection.Name)]
public class SegmentedLogResourceTests
{
    private const int Cycles = 50;

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Open_append_close_cycles_leak_no_descriptors_or_mappings()
    {
        Assert.True(ProcessResources.IsSupported, "this test reads /proc/self");
        using var dir = new TempDirectory("leaks");
        var options = new SegmentedLogOptions { SegmentCapacity = 4096, MaxRecordSize = 1024, Durability = DurabilityMode.Always, SpareSegments = 2 };
        var rng = new Random(9);

        // Warm up: the first cycles load code and start pool threads, which open descriptors of their own.
        for (int i = 0; i < 3; i++)
        {
            await CycleAsync(dir.Path, options, rng, i);
        }

        ProcessResources.CollectGarbage();
        int before = ProcessResources.OpenDescriptorCount();

        for (int i = 0; i < Cycles; i++)
        {
            await CycleAsync(dir.Path, options, rng, i);
        }

        // Closing releases the log's files deterministically, without waiting for finalizers.
        Assert.Empty(ProcessResources.DescriptorsUnder(dir.Path));
        Assert.Empty(ProcessResources.MappingsUnder(dir.Path));

        ProcessResources.CollectGarbage();
        int after = ProcessResources.OpenDescriptorCount();

        // Exact for the log's own files; a little slack for the process as a whole (runtime, test host).
        Assert.Empty(ProcessResources.DescriptorsUnder(dir.Path));
        Assert.Empty(ProcessResources.MappingsUnder(dir.Path));
        Assert.True(after - before < 10, $"{after - before} more descriptors after {Cycles} cycles ({before} -> {after})");
    }

    [Fact]
    public async Task A_failed_open_leaks_no_descriptors_or_mappings()
    {
        using var dir = new TempDirectory("leaks");
        var options = new SegmentedLogOptions { SegmentCapacity = 4096, MaxRecordSize = 1024, Durability = DurabilityMode.None, VerifyAllSegments = true };
        await using (var log = SegmentedLog.Open(dir.Path, options))
        {
            while (log.SegmentCount < 4)
            {
                await log.AppendAsync(new AppendRecord(new byte[500]));
            }
        }

        SegmentFile.FlipByte(SegmentFile.List(dir.Path)[1], SegmentFile.HeaderSize + 45, 0x10);
        for (int i = 0; i < 10; i++)
        {
            Assert.Throws<LogCorruptionException>(() => SegmentedLog.Open(dir.Path, options));
        }

        ProcessResources.CollectGarbage();
        Assert.Empty(ProcessResources.DescriptorsUnder(dir.Path));
        Assert.Empty(ProcessResources.MappingsUnder(dir.Path));
    }

    // Open, append across a few rolls, read, sometimes remove segments, close.
    private static async Task CycleAsync(string directory, SegmentedLogOptions options, Random rng, int cycle)
    {
        await using var log = SegmentedLog.Open(directory, options);
        long start = log.NextSequence;
        for (int i = 0; i < 12; i++)
        {
            await log.AppendAsync(new AppendRecord(TestRecords.NonZeroBytes(rng, rng.Next(1, 1000))));
        }

        Assert.Equal(start + 12, log.ReadFrom(log.FirstSequence).Count() + log.FirstSequence);
        if (cycle % 3 == 0)
        {
            log.RemoveSegmentsBefore(log.NextSequence - 5);
        }
    }
}
