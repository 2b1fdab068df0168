using BenchmarkDotNet.Running;
using LogQueue.Bench;

// Every argument goes to BenchmarkDotNet: --filter '*Append*', --list flat, --job short, ... (see README, "Benchmarks").
BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args, BenchConfig.Create());
