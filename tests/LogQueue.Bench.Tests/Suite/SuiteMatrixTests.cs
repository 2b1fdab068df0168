using System.Text.Json;
using LogQueue.Bench.Load;
using LogQueue.Bench.Load.Options;
using LogQueue.Bench.Suite;
using LogQueue.Engine.Queues;

namespace LogQueue.Bench.Tests.Suite;

public class SuiteMatrixTests
{
    public static TheoryData<string, bool> EveryMatrix => new()
    {
        { "none", false }, { "interval", false }, { "always", false },
        { "none", true }, { "interval", true }, { "always", true },
    };

    [Theory]
    [MemberData(nameof(EveryMatrix))]
    public void Every_fifo_case_has_its_standard_twin_in_the_same_matrix_in_both_throughput_modes(string durability, bool quick)
    {
        IReadOnlyList<SuiteCase> cases = SuiteMatrix.For(durability, quick);
        List<SuiteCase> fifo = cases.Where(c => c.Fifo is not null).ToList();

        Assert.NotEmpty(fifo);
        Assert.All(fifo, c => Assert.Contains(c.Standard, cases));
        Assert.All(fifo, c => Assert.Equal(SuiteMatrix.FifoGroups, c.Groups));
        Assert.Equal(fifo.Count / 2, fifo.Count(c => c.Fifo == FifoThroughputLimit.PerMessageGroupId));
        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public void A_fifo_case_loads_a_fifo_queue_in_its_mode_and_a_standard_case_does_not()
    {
        var standard = new SuiteCase("none", 16, 16, 128, 10);
        SuiteCase high = standard with { Fifo = FifoThroughputLimit.PerMessageGroupId, Groups = 1000 };

        LoadOptions fifoOptions = high.ToOptions("127.0.0.1:7150", "suite-3", SuitePhases.Quick);
        fifoOptions.Validate();
        Assert.True(fifoOptions.Fifo);
        Assert.Equal(1000, fifoOptions.Groups);
        Assert.Equal(["suite-3.fifo"], fifoOptions.QueueNames());
        Assert.Equal("perMessageGroupId", fifoOptions.QueueAttributes()!["FifoThroughputLimit"]);
        Assert.Equal("messageGroup", fifoOptions.QueueAttributes()!["DeduplicationScope"]);
        Assert.Contains("fifo/perMessageGroupId g1000", high.Name, StringComparison.Ordinal);

        LoadOptions standardOptions = standard.ToOptions("127.0.0.1:7150", "suite-2", SuitePhases.Quick);
        standardOptions.Validate();
        Assert.False(standardOptions.Fifo);
        Assert.Null(standardOptions.QueueAttributes());
        Assert.Equal(standard, high.Standard);
    }

    [Fact]
    public void Every_case_is_written_to_the_suite_json_and_read_back()
    {
        List<SuiteCase> cases = [.. SuiteMatrix.Modes.SelectMany(mode => SuiteMatrix.For(mode, quick: false))];

        string json = JsonSerializer.Serialize(cases, LoadCommand.JsonOptions);
        List<SuiteCase>? read = JsonSerializer.Deserialize<List<SuiteCase>>(json, LoadCommand.JsonOptions);

        Assert.Equal(cases, read);
        Assert.Contains("\"fifo\": \"perMessageGroupId\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_per_queue_fifo_run_deduplicates_by_content_per_queue()
    {
        var options = new LoadOptions { Server = "127.0.0.1:7150", Fifo = true, FifoThroughput = FifoThroughputLimit.PerQueue };
        Dictionary<string, string> attributes = options.QueueAttributes()!;
        Assert.Equal("true", attributes["FifoQueue"]);
        Assert.Equal("true", attributes["ContentBasedDeduplication"]);
        Assert.False(attributes.ContainsKey("FifoThroughputLimit"));
    }
}
