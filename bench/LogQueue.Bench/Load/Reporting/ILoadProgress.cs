namespace LogQueue.Bench.Load.Reporting;

/// <summary>Where a run's per-second samples go while it runs.</summary>
internal interface ILoadProgress
{
    /// <summary>Shows one second's figures.</summary>
    void Report(ProgressSample sample);
}
