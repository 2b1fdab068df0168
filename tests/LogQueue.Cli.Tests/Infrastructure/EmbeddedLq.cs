using LogQueue.TestSupport;

namespace LogQueue.Cli.Tests.Infrastructure;

/// <summary>
/// Runs the <c>lq</c> command line in-process through <see cref="CliApplication.RunAsync(string[], TextWriter, TextWriter, TextReader, CancellationToken)"/>,
/// with <c>--data-dir</c> on a fresh temp directory: every invocation opens the engine, runs, and closes it, as the tool does.
/// </summary>
public sealed class EmbeddedLq : IDisposable
{
    private readonly TempDirectory _directory = new("lq");

    public string DataDirectory => _directory.Combine("data");

    /// <summary>Runs <c>lq --data-dir DIR args...</c> with <paramref name="stdin"/> as standard input.</summary>
    public async Task<LqResult> RunAsync(string[] args, string stdin, CancellationToken cancellationToken = default)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var input = new StringReader(stdin);
        int exitCode = await CliApplication.RunAsync(["--data-dir", DataDirectory, .. args], stdout, stderr, input, cancellationToken);
        return new LqResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    public Task<LqResult> RunAsync(params string[] args) => RunAsync(args, stdin: string.Empty);

    public void Dispose() => _directory.Dispose();
}
