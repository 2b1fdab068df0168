namespace LogQueue.Bench.Suite;

internal static class SuiteCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken) => Task.FromResult(0);
}
