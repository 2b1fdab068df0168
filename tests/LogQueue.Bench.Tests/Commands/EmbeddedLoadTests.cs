using System.Text.Json;
using LogQueue.Bench.Load;
using LogQueue.Bench.Load.Options;
using LogQueue.Bench.Load.Reporting;
using LogQueue.Bench.Tests.Infrastructure;
using LogQueue.TestSupport;

namespace LogQueue.Bench.Tests.Commands;

/// <summary>Short load runs against the engine in-process (<c>--embedded</c>): every message sent comes back intact, once.</summary>
[Trait("Category", "Slow")]
public sealed class EmbeddedLoadTests : IDisposable
{
    private readonly TempDirectory _directory = new("bench-embedded");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_closed_loop_run_passes_and_writes_a_json_report_that_adds_up()
    {
        string json = _directory.Combine("out", "report.json");
        LoadInvocation run = await LoadInvocation.RunAsync(
            "--embedded", _directory.Combine("data"), "--durability", "none", "--producers", "2", "--consumers", "2",
            "--batch", "10", "--duration", "1s", "--warmup", "0", "--json", json);

        Assert.True(run.ExitCode == LoadCommand.Passed, run.ToString());
        Assert.Empty(run.Error);
        Assert.Contains("result: PASS", run.Output, StringComparison.Ordinal);
        Assert.Contains("figures written to " + json, run.Output, StringComparison.Ordinal);

        using JsonDocument document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        JsonElement report = document.RootElement;
        JsonElement counts = report.GetProperty("counts");
        Assert.Equal(0, counts.GetProperty("lost").GetInt64());
        Assert.Equal(0, counts.GetProperty("duplicates").GetInt64());
        Assert.Equal(0, counts.GetProperty("corrupt").GetInt64());
        Assert.Equal(0, counts.GetProperty("foreign").GetInt64());
        Assert.Equal(0, counts.GetProperty("receivedUnacknowledged").GetInt64());
        Assert.Empty(report.GetProperty("errors").EnumerateObject());
        Assert.Empty(counts.GetProperty("lostSample").EnumerateArray());
        Assert.True(report.GetProperty("drainCompleted").GetBoolean());

        long sent = counts.GetProperty("sent").GetInt64();
        Assert.True(sent > 0);
        Assert.Equal(sent, counts.GetProperty("received").GetInt64());
        Assert.Equal(sent, counts.GetProperty("deleted").GetInt64());

        Assert.True(report.GetProperty("produce").GetProperty("messagesPerSecond").GetDouble() > 0);
        Assert.True(report.GetProperty("produce").GetProperty("messages").GetInt64() > 0);
        Assert.True(report.GetProperty("sendLatency").GetProperty("count").GetInt64() > 0);
        Assert.True(report.GetProperty("endToEndLatency").GetProperty("count").GetInt64() > 0);
        Assert.InRange(report.GetProperty("measuredSeconds").GetDouble(), 0.9, 30);
        Assert.False(report.TryGetProperty("sendLag", out _)); // closed loop: none, and nulls are not written

        JsonElement workload = report.GetProperty("workload");
        Assert.Equal(2, workload.GetProperty("producers").GetInt32());
        Assert.Equal("none", workload.GetProperty("durability").GetString());
        Assert.Equal("128", workload.GetProperty("size").GetString());
        Assert.Contains("embedded engine in", report.GetProperty("target").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_count_run_stops_on_its_own_after_about_that_many_messages()
    {
        LoadReport report = await RunAsync(
            "--producers", "3", "--consumers", "2", "--batch", "10", "--messages", "1005", "--warmup", "0");

        AssertClean(report);

        // Exactly 1,005 is what --messages promises; a race lets a call at the window's opening count without being
        // charged, or be charged without counting (see the skipped tests below), so allow one call per producer.
        Assert.True(Math.Abs(report.Produce.Messages - 1005) <= 3 * 10, ReportText.Describe(report));
        Assert.Equal(report.Produce.Messages, report.SendLatency.Count);

        // Sends that started before the window opened (free, even with --warmup 0) come on top.
        Assert.True(report.Counts.Sent >= 1005 - (3 * 10));
    }

    [Fact]
    public async Task A_message_count_run_after_a_warmup_measures_exactly_that_many_messages()
    {
        // Single sends from one producer keep the (unmeasured, unbounded) warm-up small enough to drain quickly.
        LoadReport report = await RunAsync(
            "--producers", "1", "--consumers", "2", "--batch", "1", "--receive-batch", "10", "--messages", "500", "--warmup", "100ms");

        AssertClean(report);
        Assert.True(report.Produce.Messages == 500, ReportText.Describe(report));
    }

    [Fact]
    public async Task An_open_loop_message_count_run_measures_exactly_that_many_messages()
    {
        LoadReport report = await RunAsync(
            "--producers", "2", "--consumers", "2", "--batch", "1", "--rate", "5000", "--messages", "1000", "--warmup", "100ms");

        AssertClean(report);
        Assert.Equal(1000, report.Produce.Messages);
    }

    [Fact]
    public async Task A_run_without_consumers_measures_sending_and_checks_no_loss()
    {
        LoadReport report = await RunAsync("--producers", "1", "--consumers", "0", "--batch", "5", "--messages", "5000", "--warmup", "0");

        Assert.True(report.Passed);
        Assert.Null(report.Counts.Lost);
        Assert.Empty(report.Counts.LostSample);
        Assert.Equal(5000, report.Produce.Messages);
        Assert.Equal(0, report.Counts.Received);
        Assert.Equal(0, report.EndToEndLatency.Count);
    }

    [Fact]
    public async Task Several_queues_and_a_size_range_pass()
    {
        LoadReport report = await RunAsync(
            "--queue", "spread", "--queues", "3", "--producers", "2", "--consumers", "3", "--size", "32-4KiB", "--batch", "4",
            "--messages", "3000", "--warmup", "0");

        AssertClean(report);
        Assert.True(report.Produce.MegabytesPerSecond > 0);
    }

    [Theory]
    [InlineData("perQueue")]
    [InlineData("perMessageGroupId")]
    public async Task A_fifo_run_passes_with_order_checked_per_producer_and_group(string throughput)
    {
        LoadReport report = await RunAsync(
            "--fifo", "--fifo-throughput", throughput, "--groups", "8", "--producers", "3", "--consumers", "3", "--batch", "10",
            "--messages", "3000", "--warmup", "0");

        AssertClean(report);
        Assert.True(report.Workload.Fifo);
        Assert.Equal(0, report.Counts.OrderViolations);
    }

    [Fact]
    public async Task A_second_run_on_the_same_data_directory_passes()
    {
        // Each run deletes what it received, so a second run finds an empty queue (or tells leftovers apart).
        LoadReport first = await RunAsync("--producers", "1", "--consumers", "1", "--batch", "10", "--messages", "200", "--warmup", "0");
        LoadReport second = await RunAsync("--producers", "1", "--consumers", "1", "--batch", "10", "--messages", "200", "--warmup", "0");

        AssertClean(first);
        AssertClean(second);
    }

    [Fact]
    public async Task Cancelling_a_run_exits_130()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await LoadCommand.RunAsync(
            ["--embedded", _directory.Combine("data"), "--durability", "none", "--duration", "60s", "--warmup", "0"],
            output,
            error,
            interactive: false,
            cancellation.Token).WaitAsync(LoadInvocation.Timeout);

        Assert.True(exitCode == LoadCommand.Cancelled, $"exit {exitCode}\n{output}\n{error}");
        Assert.Contains("load: cancelled.", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<LoadReport> RunAsync(params string[] args)
    {
        LoadOptions options = LoadCommandLine.Parse(["--embedded", _directory.Combine("data"), "--durability", "none", .. args], out _);
        using var output = new StringWriter();
        LoadReport report = await LoadCommand.RunAsync(options, output, interactive: false, CancellationToken.None).WaitAsync(LoadInvocation.Timeout);

        // The JSON of every report round-trips through the serializer (no NaN or other unwritable figure).
        string file = _directory.Combine(Guid.NewGuid().ToString("N") + ".json");
        await LoadCommand.WriteJsonAsync(report, file, CancellationToken.None);
        using (JsonDocument.Parse(await File.ReadAllTextAsync(file)))
        {
        }

        return report;
    }

    private static void AssertClean(LoadReport report)
    {
        string text = ReportText.Describe(report);
        Assert.True(report.Passed, text);
        Assert.True(report.DrainCompleted, text);
        Assert.True(report.Counts.Lost == 0, text);
        Assert.True(report.Counts.Duplicates == 0, text);
        Assert.True(report.Counts.Corrupt == 0, text);
        Assert.True(report.Counts.Foreign == 0, text);
        Assert.True(report.Counts.ReceivedUnacknowledged == 0, text);
        Assert.True(report.Errors.Count == 0, text);
        Assert.True(report.Counts.Sent > 0, text);
        Assert.True(report.Counts.Sent == report.Counts.Received && report.Counts.Received == report.Counts.Deleted, text);
    }
}
