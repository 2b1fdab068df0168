namespace LogQueue.Cli.Tests.Infrastructure;

/// <summary>What one run of <c>lq</c> produced.</summary>
public sealed record LqResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout split into lines, without the empty one after the last newline.</summary>
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>Fails with both streams shown unless the run exited 0.</summary>
    public LqResult AssertSuccess()
    {
        Assert.True(ExitCode == 0, $"lq exited {ExitCode}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        return this;
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
