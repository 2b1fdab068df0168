using LogQueue.Bench.Load.Options;
using LogQueue.Client;
using LogQueue.Engine.Log;

namespace LogQueue.Bench.Tests.Options;

public class LoadOptionsValidationTests
{
    public static TheoryData<string, Action<LoadOptions>, string> EveryRule => new()
    {
        { "no target", o => o.Server = null, "--server" },
        { "two targets", o => o.Embedded = "/d", "--embedded" },
        { "durability with a server", o => o.Durability = DurabilityMode.None, "--durability" },
        { "queues 0", o => o.Queues = 0, "--queues" },
        { "queues 1001", o => o.Queues = 1001, "--queues" },
        { "producers 0", o => o.Producers = 0, "--producers" },
        { "producers 4097", o => o.Producers = LoadOptions.MaxWorkers + 1, "--producers" },
        { "consumers -1", o => o.Consumers = -1, "--consumers" },
        { "consumers 4097", o => o.Consumers = LoadOptions.MaxWorkers + 1, "--consumers" },
        { "batch 0", o => o.Batch = 0, "--batch" },
        { "batch 1001", o => o.Batch = LoadOptions.MaxBatch + 1, "--batch" },
        { "receive batch 0", o => o.ReceiveBatch = 0, "--receive-batch" },
        { "receive batch 1001", o => o.ReceiveBatch = LoadOptions.MaxBatch + 1, "--receive-batch" },
        { "groups 0", o => o.Groups = 0, "--groups" },
        { "groups 100001", o => o.Groups = 100_001, "--groups" },
        { "FIFO throughput without --fifo", o => o.FifoThroughput = LogQueue.Engine.Queues.FifoThroughputLimit.PerQueue, "--fifo-throughput" },
        { "connections 0", o => o.Connections = 0, "--connections" },
        { "connections too many", o => o.Connections = LogQueueClientOptions.MaxConnectionCount + 1, "--connections" },
        { "duration 0", o => o.Duration = TimeSpan.Zero, "--duration" },
        { "duration negative", o => o.Duration = TimeSpan.FromSeconds(-1), "--duration" },
        { "warmup negative", o => o.Warmup = TimeSpan.FromSeconds(-1), "--warmup" },
        { "drain timeout negative", o => o.DrainTimeout = TimeSpan.FromSeconds(-1), "--drain-timeout" },
        { "messages 0", o => o.Messages = 0, "--messages" },
        { "messages negative", o => o.Messages = -5, "--messages" },
        { "rate 0", o => o.Rate = 0, "--rate" },
        { "rate negative", o => o.Rate = -1, "--rate" },
        { "rate too high", o => o.Rate = 100_000_001, "--rate" },
        { "rate NaN", o => o.Rate = double.NaN, "--rate" },
        { "queue with a dot", o => o.Queue = "a.b", "--queue" },
        { "queue with a space", o => o.Queue = "a b", "--queue" },
        { "queue not ASCII", o => o.Queue = "caf\u00e9", "--queue" },
        { "queue of 81", o => o.Queue = new string('q', 81), "--queue" },
        { "FIFO queue of 76 plus .fifo", o => (o.Queue, o.Fifo) = (new string('q', 76), true), "--queue" },
        { "queue of 77 with -999", o => (o.Queue, o.Queues) = (new string('q', 77), 1000), "--queue" },
    };

    [Theory]
    [MemberData(nameof(EveryRule))]
    public void Each_rule_throws_a_message_naming_the_option(string rule, Action<LoadOptions> breakIt, string named)
    {
        LoadOptions options = Valid();
        breakIt(options);

        LoadOptionsException e = Assert.Throws<LoadOptionsException>(options.Validate);
        Assert.True(e.Message.Contains(named, StringComparison.Ordinal), $"{rule}: '{e.Message}' does not name {named}");
    }

    [Fact]
    public void The_defaults_with_one_target_are_valid()
    {
        Valid().Validate();
        new LoadOptions { Embedded = "/d", Durability = DurabilityMode.None }.Validate();
    }

    [Fact]
    public void The_limits_themselves_are_valid()
    {
        LoadOptions options = Valid();
        options.Queues = 1000;
        options.Queue = new string('q', 75); // q…-999 is 79 characters
        options.Producers = LoadOptions.MaxWorkers;
        options.Consumers = 0;
        options.Batch = LoadOptions.MaxBatch;
        options.ReceiveBatch = 1;
        options.Groups = 100_000;
        options.Connections = LogQueueClientOptions.MaxConnectionCount;
        options.Warmup = TimeSpan.Zero;
        options.DrainTimeout = TimeSpan.Zero;
        options.Messages = 1;
        options.Rate = 100_000_000;
        options.Validate();

        LoadOptions fifo = Valid();
        fifo.Fifo = true;
        fifo.Queue = new string('f', 75); // plus .fifo: 80
        fifo.Validate();
        Assert.Equal(80, fifo.QueueNames()[0].Length);
    }

    [Theory]
    [InlineData("")]
    public void An_empty_queue_name_is_refused(string queue)
    {
        LoadOptions options = Valid();
        options.Queue = queue;
        LoadOptionsException e = Assert.Throws<LoadOptionsException>(options.Validate);
        Assert.Contains("--queue", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Queue_names_get_an_index_with_several_queues_and_the_fifo_suffix()
    {
        Assert.Equal(["load"], Valid().QueueNames());
        Assert.Equal(["jobs-0", "jobs-1", "jobs-2"], new LoadOptions { Queue = "jobs", Queues = 3 }.QueueNames());
        Assert.Equal(["jobs.fifo"], new LoadOptions { Queue = "jobs", Fifo = true }.QueueNames());
        Assert.Equal(["jobs-0.fifo", "jobs-1.fifo"], new LoadOptions { Queue = "jobs", Queues = 2, Fifo = true }.QueueNames());
    }

    private static LoadOptions Valid() => new() { Server = "127.0.0.1:7150" };
}
