using System.Runtime.InteropServices;
using BenchmarkDotNet.Running;
using LogQueue.Bench;
using LogQueue.Bench.Load;
using LogQueue.Bench.Suite;

// `load ...` runs the load generator, `suite ...` the benchmark suite (bench/run-suite.sh); every other argument
// goes to BenchmarkDotNet: --filter '*Append*', --list flat, --job short, ... (see README, "Benchmarks").
if (args.Length > 0 && args[0] is "load" or "suite")
{
    using var cancellation = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        if (!cancellation.IsCancellationRequested)
        {
            e.Cancel = true;
            cancellation.Cancel();
        }
    };
    using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        cancellation.Cancel();
    });

    string[] rest = args[1..];
    bool interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected;
    return args[0] == "load"
        ? await LoadCommand.RunAsync(rest, Console.Out, Console.Error, interactive, cancellation.Token)
        : await SuiteCommand.RunAsync(rest, Console.Out, Console.Error, cancellation.Token);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args, BenchConfig.Create());
return 0;
