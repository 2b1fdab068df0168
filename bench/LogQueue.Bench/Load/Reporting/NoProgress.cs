namespace LogQueue.Bench.Load.Reporting;

/// <summary>Progress that goes nowhere (runs inside the suite, where only the report matters).</summary>
internal sealed class NoProgress : ILoadProgress
{
    public static NoProgress Instance { get; } = new();

    public void Report(ProgressSample sample)
    {
    }
}
