using System.Diagnostics;

namespace LogQueue.Bench.Load.Runs;

/// <summary>
/// Starts every open-loop producer's sends on schedule from one dedicated thread: sleep (precisely) until the
/// earliest due send, start every send that is due, repeat. A send only starts here; its completion runs on the
/// thread pool, so a slow target delays nothing but the sends' own acknowledgements, and each is measured from
/// its due time. A producer at its cap of outstanding calls keeps its due time, so its lateness keeps counting.
/// </summary>
internal sealed class OpenLoopPacer
{
    private readonly Producer[] _producers;
    private readonly LoadContext _context;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OpenLoopPacer(Producer[] producers, LoadContext context)
    {
        _producers = producers;
        _context = context;
    }

    /// <summary>Starts the pacing thread; the task completes once sending stopped and every started call returned.</summary>
    public Task RunAsync()
    {
        var thread = new Thread(Pace) { IsBackground = true, Name = "LogQueue load pacer", Priority = ThreadPriority.AboveNormal };
        thread.Start();
        return _finished.Task;
    }

    private void Pace()
    {
        try
        {
            long start = Stopwatch.GetTimestamp();
            foreach (Producer producer in _producers)
            {
                producer.StartSchedule(start);
            }

            var active = new List<Producer>(_producers);
            while (active.Count > 0 && !_context.StopProducing.IsCancellationRequested && !_context.Abort.IsCancellationRequested)
            {
                long earliest = long.MaxValue;
                foreach (Producer producer in active)
                {
                    earliest = Math.Min(earliest, producer.NextDue);
                }

                // Wake at most every 10 ms to notice the stop signal.
                PreciseSleep.Until(Math.Min(earliest, Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100)));
                long now = Stopwatch.GetTimestamp();
                for (int i = active.Count - 1; i >= 0; i--)
                {
                    if (!active[i].StartDueSends(now))
                    {
                        active.RemoveAt(i);
                    }
                }
            }

            while (_producers.Any(p => p.Outstanding > 0) && !_context.Abort.IsCancellationRequested)
            {
                Thread.Sleep(5);
            }

            if (_context.Abort.IsCancellationRequested)
            {
                _finished.TrySetCanceled(_context.Abort);
            }
            else
            {
                _finished.TrySetResult();
            }
        }
        catch (Exception e)
        {
            _finished.TrySetException(e);
        }
    }
}
