namespace LogQueue.Bench.Load.Runs;

/// <summary>Where a load run is: warming up, measuring, draining (producers done, consumers catching up) or done.</summary>
internal enum RunPhase
{
    /// <summary>Connecting and creating queues.</summary>
    Starting,

    /// <summary>Running, not yet counted in rates or latencies.</summary>
    Warmup,

    /// <summary>The measured window.</summary>
    Measure,

    /// <summary>Producers stopped; consumers receive what is left.</summary>
    Drain,

    /// <summary>Finished.</summary>
    Done,
}
