using System.Text.Json;
using LogQueue.Bench.Load;
using LogQueue.Bench.Load.Options;
using LogQueue.Engine.Log;
using LogQueue.TestSupport;

namespace LogQueue.Bench.Tests.Options;

public sealed class LoadCommandLineTests : IDisposable
{
    private const string Server = "127.0.0.1:7150";

    private readonly TempDirectory _directory = new("bench-options");

    /// <summary>
    /// Every setting with a value that is not its default: the command-line arguments and the same setting as a
    /// workload file's JSON property (both with whatever target the setting needs).
    /// </summary>
    public static TheoryData<string, string[], string> EverySetting => new()
    {
        { "server", ["--server", "10.0.0.1:7150"], """{ "server": "10.0.0.1:7150" }""" },
        { "embedded", ["--embedded", "/var/lib/lq"], """{ "embedded": "/var/lib/lq" }""" },
        { "durability", ["--embedded", "/var/lib/lq", "--durability", "none"], """{ "embedded": "/var/lib/lq", "durability": "none" }""" },
        { "queue", ["--server", Server, "--queue", "orders"], """{ "server": "127.0.0.1:7150", "queue": "orders" }""" },
        { "queues", ["--server", Server, "--queues", "3"], """{ "server": "127.0.0.1:7150", "queues": 3 }""" },
        { "fifo", ["--server", Server, "--fifo"], """{ "server": "127.0.0.1:7150", "fifo": true }""" },
        { "groups", ["--server", Server, "--groups", "7"], """{ "server": "127.0.0.1:7150", "groups": 7 }""" },
        { "fifo-throughput", ["--server", Server, "--fifo", "--fifo-throughput", "perMessageGroupId"], """{ "server": "127.0.0.1:7150", "fifo": true, "fifoThroughput": "perMessageGroupId" }""" },
        { "producers", ["--server", Server, "--producers", "5"], """{ "server": "127.0.0.1:7150", "producers": 5 }""" },
        { "consumers", ["--server", Server, "--consumers", "0"], """{ "server": "127.0.0.1:7150", "consumers": 0 }""" },
        { "size", ["--server", Server, "--size", "100-2KiB"], """{ "server": "127.0.0.1:7150", "size": "100-2KiB" }""" },
        { "batch", ["--server", Server, "--batch", "10"], """{ "server": "127.0.0.1:7150", "batch": 10 }""" },
        { "receive-batch", ["--server", Server, "--receive-batch", "10"], """{ "server": "127.0.0.1:7150", "receiveBatch": 10 }""" },
        { "duration", ["--server", Server, "--duration", "500ms"], """{ "server": "127.0.0.1:7150", "duration": "500ms" }""" },
        { "messages", ["--server", Server, "--messages", "1000"], """{ "server": "127.0.0.1:7150", "messages": 1000 }""" },
        { "warmup", ["--server", Server, "--warmup", "0"], """{ "server": "127.0.0.1:7150", "warmup": 0 }""" },
        { "rate", ["--server", Server, "--rate", "2500.5"], """{ "server": "127.0.0.1:7150", "rate": 2500.5 }""" },
        { "drain-timeout", ["--server", Server, "--drain-timeout", "2m"], """{ "server": "127.0.0.1:7150", "drainTimeout": "2m" }""" },
        { "connections", ["--server", Server, "--connections", "4"], """{ "server": "127.0.0.1:7150", "connections": 4 }""" },
    };

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_table_of_settings_covers_every_setting()
    {
        string[] covered = [.. EverySetting.Select(row => (string)row[0])];
        Assert.Equal(LoadSetting.All.Select(s => s.Name).Order(), covered.Order());
    }

    [Theory]
    [MemberData(nameof(EverySetting))]
    public void Every_setting_parses_the_same_from_the_command_line_and_from_a_workload_file(string name, string[] args, string json)
    {
        LoadOptions fromCommandLine = LoadCommandLine.Parse(args, out string? help);
        LoadOptions fromFile = LoadCommandLine.Parse(["--workload", WriteWorkload(json)], out _);

        Assert.Null(help);
        Assert.Equal(Describe(fromCommandLine), Describe(fromFile));
        if (name is not ("server" or "embedded"))
        {
            Assert.NotEqual(Describe(new LoadOptions { Server = fromFile.Server, Embedded = fromFile.Embedded }), Describe(fromFile));
        }

        Assert.NotNull(LoadSetting.Find(name));
    }

    [Fact]
    public void The_parsed_values_are_the_ones_given()
    {
        LoadOptions options = LoadCommandLine.Parse(
            [
                "--embedded", "/data", "--durability", "interval", "--queue", "q", "--queues", "2", "--fifo", "--groups", "9",
                "--producers", "3", "--consumers", "4", "--size", "64-1K", "--batch", "25", "--receive-batch", "50", "--duration", "2m", "--messages", "500",
                "--warmup", "500ms", "--rate", "1000", "--drain-timeout", "7", "--connections", "2", "--json", "out.json",
            ],
            out _);

        Assert.Equal("/data", options.Embedded);
        Assert.Null(options.Server);
        Assert.Equal(DurabilityMode.Interval, options.Durability);
        Assert.Equal(["q-0.fifo", "q-1.fifo"], options.QueueNames());
        Assert.True(options.Fifo);
        Assert.Equal(9, options.Groups);
        Assert.Equal(3, options.Producers);
        Assert.Equal(4, options.Consumers);
        Assert.Equal(new MessageSizeRange(64, 1024), options.Size);
        Assert.Equal(25, options.Batch);
        Assert.Equal(50, options.ReceiveBatch);
        Assert.Equal(50, options.ConsumerBatch);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Duration);
        Assert.Equal(500, options.Messages);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Warmup);
        Assert.Equal(1000, options.Rate);
        Assert.Equal(TimeSpan.FromSeconds(7), options.DrainTimeout);
        Assert.Equal(2, options.Connections);
        Assert.Equal("out.json", options.JsonFile);
    }

    [Fact]
    public void Unset_settings_keep_their_defaults()
    {
        LoadOptions options = LoadCommandLine.Parse(["--server", Server], out _);
        Assert.Equal(Describe(new LoadOptions { Server = Server }), Describe(options));
        Assert.Equal(["load"], options.QueueNames());
        Assert.Null(options.ReceiveBatch);
        Assert.Equal(options.Batch, options.ConsumerBatch);
        Assert.Null(options.JsonFile);
    }

    [Fact]
    public void The_command_line_overrides_the_workload_file()
    {
        string file = WriteWorkload("""
            {
              "description": "a workload",
              "server": "10.1.1.1:7150",
              "producers": 8,
              "batch": 10,
              "fifo": true,
              "duration": "30s"
            }
            """);

        LoadOptions options = LoadCommandLine.Parse(["--workload", file, "--producers", "2", "--fifo", "false", "--duration", "1s"], out _);

        Assert.Equal(2, options.Producers);
        Assert.False(options.Fifo);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Duration);
        Assert.Equal(10, options.Batch); // from the file
        Assert.Equal("10.1.1.1:7150", options.Server); // from the file

        // Options before --workload override it all the same: the file is applied first whatever the order.
        LoadOptions before = LoadCommandLine.Parse(["--producers", "3", "--workload", file], out _);
        Assert.Equal(3, before.Producers);
    }

    [Fact]
    public void A_workload_file_may_leave_the_target_to_the_command_line()
    {
        string file = WriteWorkload("""{ "producers": 2 }""");
        LoadOptions options = LoadCommandLine.Parse(["--workload", file, "--embedded", "/d"], out _);
        Assert.Equal("/d", options.Embedded);
        Assert.Equal(2, options.Producers);
    }

    [Fact]
    public void A_workload_file_target_plus_another_on_the_command_line_is_two_targets()
    {
        string file = WriteWorkload("""{ "embedded": "/d" }""");
        LoadOptionsException e = Assert.Throws<LoadOptionsException>(() => LoadCommandLine.Parse(["--workload", file, "--server", Server], out _));
        Assert.Contains("--server", e.Message, StringComparison.Ordinal);
        Assert.Contains("--embedded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_returns_the_help_text_naming_every_option()
    {
        LoadCommandLine.Parse(["--help"], out string? help);

        Assert.NotNull(help);
        Assert.Contains("--workload", help, StringComparison.Ordinal);
        Assert.Contains("--json", help, StringComparison.Ordinal);
        Assert.All(LoadSetting.All, s => Assert.Contains("--" + s.Name, help, StringComparison.Ordinal));
    }

    [Fact]
    public void Help_needs_no_target_and_wins_over_other_options()
    {
        LoadCommandLine.Parse(["--producers", "0", "--help"], out string? help);
        Assert.NotNull(help);
    }

    [Theory]
    [InlineData(new[] { "--server", Server, "--bogus", "1" }, "--bogus")]
    [InlineData(new[] { "--server", Server, "--producers" }, "--producers")]
    [InlineData(new[] { "--server", Server, "--producers", "many" }, "--producers")]
    [InlineData(new[] { "--server", Server, "--producers", "0" }, "--producers")]
    [InlineData(new[] { "--server", Server, "--consumers", "-1" }, "--consumers")]
    [InlineData(new[] { "--server", Server, "--size", "16" }, "--size")]
    [InlineData(new[] { "--server", Server, "--size", "2MiB" }, "--size")]
    [InlineData(new[] { "--server", Server, "--batch", "1001" }, "--batch")]
    [InlineData(new[] { "--server", Server, "--receive-batch", "0" }, "--receive-batch")]
    [InlineData(new[] { "--server", Server, "--duration", "0" }, "--duration")]
    [InlineData(new[] { "--server", Server, "--duration", "soon" }, "--duration")]
    [InlineData(new[] { "--server", Server, "--drain-timeout", "2d" }, "--drain-timeout")]
    [InlineData(new[] { "--server", Server, "--rate", "0" }, "--rate")]
    [InlineData(new[] { "--server", Server, "--messages", "0" }, "--messages")]
    [InlineData(new[] { "--server", Server, "--queue", "no.dots" }, "--queue")]
    [InlineData(new[] { "--server", Server, "--durability", "none" }, "--durability")]
    [InlineData(new[] { "--embedded", "/d", "--durability", "fast" }, "--durability")]
    [InlineData(new[] { "--producers", "1" }, "--server")]
    [InlineData(new[] { "--workload", "/no/such/workload.json", "--server", Server }, "--workload")]
    public void A_bad_command_line_throws_an_options_exception_naming_the_option(string[] args, string named)
    {
        LoadOptionsException e = Assert.Throws<LoadOptionsException>(() => LoadCommandLine.Parse(args, out _));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    private string WriteWorkload(string json)
    {
        string file = _directory.Combine(Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(file, json);
        return file;
    }

    // Every option as the JSON report writes it: two options that read the same are the same workload.
    private static string Describe(LoadOptions options) => JsonSerializer.Serialize(options, LoadCommand.JsonOptions);
}
