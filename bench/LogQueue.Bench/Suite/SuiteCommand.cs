using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LogQueue.Bench.Load;
using LogQueue.Bench.Load.Options;
using LogQueue.Bench.Load.Reporting;
using LogQueue.Bench.Wire;
using LogQueue.Client;

namespace LogQueue.Bench.Suite;

/// <summary>
/// <c>LogQueue.Bench suite [--quick] [--out FILE] [--json FILE] [--modes none,always]</c>: describes the machine
/// (fsync latency measured on the temp file system, where the servers keep their data), then for each durability
/// mode starts a Release server on a free port with a fresh data directory, runs the matrix of
/// <see cref="SuiteMatrix"/> against it, and stops it; writes docs/benchmarks.md and docs/benchmarks.json.
/// Build first (bench/run-suite.sh does): the server is started from its Release output.
/// </summary>
internal static class SuiteCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string root = ServerUnderTest.FindRepositoryRoot();
        bool quick = false;
        string markdownFile = Path.Combine(root, "docs", "benchmarks.md");
        string? jsonFile = null;
        IReadOnlyList<string> modes = SuiteMatrix.Modes;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--out" when i + 1 < args.Length:
                    markdownFile = Path.GetFullPath(args[++i]);
                    break;
                case "--json" when i + 1 < args.Length:
                    jsonFile = Path.GetFullPath(args[++i]);
                    break;
                case "--modes" when i + 1 < args.Length:
                    modes = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (modes.Any(m => !SuiteMatrix.Modes.Contains(m)))
                    {
                        await error.WriteLineAsync("suite: --modes takes none, interval and always, comma-separated.").ConfigureAwait(false);
                        return LoadCommand.Usage;
                    }

                    break;
                default:
                    await error.WriteLineAsync($"suite: unknown argument '{args[i]}'. Usage: suite [--quick] [--out FILE.md] [--json FILE.json] [--modes none,interval,always]").ConfigureAwait(false);
                    return LoadCommand.Usage;
            }
        }

        jsonFile ??= Path.ChangeExtension(markdownFile, ".json");
        long started = Stopwatch.GetTimestamp();
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        await output.WriteLineAsync("Measuring the machine (fsync latency on " + Path.GetTempPath() + ")...").ConfigureAwait(false);
        MachineDescription machine = MachineDescription.Read(Path.GetTempPath());
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {machine.Cores} cores, {machine.MemoryGiB} GiB, kernel {machine.Kernel}, fsync {machine.FsyncMicroseconds} µs (mapped {machine.MappedFsyncMicroseconds} µs)")).ConfigureAwait(false);

        SuitePhases phases = quick ? SuitePhases.Quick : SuitePhases.Full;
        var runs = new List<SuiteRun>();
        try
        {
            foreach (string mode in modes)
            {
                using ServerUnderTest server = ServerUnderTest.Start(mode);
                await output.WriteLineAsync($"Server with durability {mode} on {server.Endpoint}").ConfigureAwait(false);

                // A fresh server runs unoptimised code at first (tiered JIT): load it, unmeasured, before the first case.
                await WarmUpAsync(server, cancellationToken).ConfigureAwait(false);
                int number = 0;
                foreach (SuiteCase suiteCase in SuiteMatrix.For(mode, quick))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    SuiteRun run = await RunCaseAsync(server, suiteCase, number++, phases, cancellationToken).ConfigureAwait(false);
                    runs.Add(run);
                    await output.WriteLineAsync(Summary(run)).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("suite: cancelled; nothing written.").ConfigureAwait(false);
            return LoadCommand.Cancelled;
        }

        var report = new SuiteReport(startedAt, quick, GitCommit(root), machine, Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1), runs);
        Directory.CreateDirectory(Path.GetDirectoryName(markdownFile)!);
        await File.WriteAllTextAsync(markdownFile, BenchmarksMarkdown.Render(report), cancellationToken).ConfigureAwait(false);
        FileStream json = File.Create(jsonFile);
        await using (json.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(json, report, LoadCommand.JsonOptions, cancellationToken).ConfigureAwait(false);
        }

        await output.WriteLineAsync($"Wrote {markdownFile} and {jsonFile} in {report.ElapsedSeconds:0} s.").ConfigureAwait(false);
        // A drain that timed out leaves a backlog unconfirmed, which is not a failure of the suite; loss, corruption,
        // reordering or a case that could not run are.
        return runs.All(r => r.Report is { Verified: true }) ? LoadCommand.Passed : LoadCommand.Failed;
    }

    private static async Task<SuiteRun> RunCaseAsync(ServerUnderTest server, SuiteCase suiteCase, int number, SuitePhases phases, CancellationToken cancellationToken)
    {
        LoadOptions options = suiteCase.ToOptions(server.Endpoint, "suite-" + number.ToString(CultureInfo.InvariantCulture), phases);
        TimeSpan cpuBefore = server.ProcessorTime;
        try
        {
            LoadReport report = await LoadCommand.RunAsync(options, TextWriter.Null, interactive: false, cancellationToken).ConfigureAwait(false);
            return new SuiteRun(suiteCase, report, Math.Round((server.ProcessorTime - cpuBefore).TotalSeconds, 3), null);
        }
        catch (Exception e) when (e is LogQueueException or LoadOptionsException or IOException or TimeoutException)
        {
            return new SuiteRun(suiteCase, null, 0, e.Message);
        }
    }

    // Warms the server's code to the optimised tier before anything is measured: a standard queue, then a FIFO queue in
    // each throughput mode, whose send, scan, receive and delete paths are code of their own (without this the FIFO cases
    // ran partly on code still being compiled: the JIT took 7% of the CPU of a short FIFO run).
    private static async Task WarmUpAsync(ServerUnderTest server, CancellationToken cancellationToken)
    {
        LoadOptions[] warmUps =
        [
            WarmUpOptions(server, "suite-warmup", TimeSpan.FromSeconds(2)),
            WarmUpOptions(server, "suite-warmup-fifo", TimeSpan.FromSeconds(1), Engine.Queues.FifoThroughputLimit.PerQueue),
            WarmUpOptions(server, "suite-warmup-fifo-ht", TimeSpan.FromSeconds(1), Engine.Queues.FifoThroughputLimit.PerMessageGroupId),
        ];
        foreach (LoadOptions options in warmUps)
        {
            try
            {
                await LoadCommand.RunAsync(options, TextWriter.Null, interactive: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is LogQueueException or IOException or TimeoutException)
            {
                // The cases that follow report whatever is wrong with the server.
            }
        }
    }

    private static LoadOptions WarmUpOptions(ServerUnderTest server, string queue, TimeSpan duration, Engine.Queues.FifoThroughputLimit? fifo = null) => new()
    {
        Server = server.Endpoint,
        Queue = queue,
        Producers = 8,
        Consumers = 4,
        Batch = 10,
        Warmup = TimeSpan.Zero,
        Duration = duration,
        DrainTimeout = TimeSpan.FromSeconds(3),
        Fifo = fifo is not null,
        Groups = fifo is not null ? SuiteMatrix.FifoGroups : new LoadOptions().Groups,
        FifoThroughput = fifo,
    };

    private static string Summary(SuiteRun run)
    {
        if (run.Report is not { } r)
        {
            return $"  {run.Case.Name,-32} FAILED: {run.Failure}";
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"  {run.Case.Name,-32} produce {r.Produce.MessagesPerSecond,10:N0}/s  consume {r.Consume.MessagesPerSecond,10:N0}/s  send p50 {ReportText.Micros(r.SendLatency.P50),9} p99 {ReportText.Micros(r.SendLatency.P99),9}  lost {ReportText.LostText(r.Counts)}  errors {r.Errors.Values.Sum()}{(r.Verified ? string.Empty : "  FAIL")}");
    }

    private static string? GitCommit(string root)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD")
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null)
            {
                return null;
            }

            string commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? commit : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
