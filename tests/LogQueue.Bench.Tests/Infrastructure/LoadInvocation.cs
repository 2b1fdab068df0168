using LogQueue.Bench.Load;

namespace LogQueue.Bench.Tests.Infrastructure;

/// <summary>What <c>load</c> printed and returned: the exit code, standard output and standard error.</summary>
internal sealed record LoadInvocation(int ExitCode, string Output, string Error)
{
    /// <summary>The load run each test gets at most, so a hung run fails the test instead of the whole test run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);

    /// <summary>Runs <c>load</c> with <paramref name="args"/> as the bench program does, with plain progress lines.</summary>
    public static async Task<LoadInvocation> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await LoadCommand.RunAsync(args, output, error, interactive: false, CancellationToken.None).WaitAsync(Timeout);
        return new LoadInvocation(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Everything it printed, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}
