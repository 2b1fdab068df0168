using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LogQueue.Bench.Load.Runs;

/// <summary>
/// Sleeps until a Stopwatch timestamp with the kernel's high-resolution timers (nanosleep), where .NET's own
/// timers tick in milliseconds and, on a busy machine, wake a thread-pool thread 2 ms or more late. An open-loop
/// schedule at 1,000 sends per second needs tens of microseconds, not milliseconds, or the generator's lateness
/// swamps the latency it measures. The calling thread blocks: use a dedicated one.
/// </summary>
internal static partial class PreciseSleep
{
    /// <summary>Blocks the calling thread until <paramref name="timestamp"/> (Stopwatch ticks) or later.</summary>
    public static void Until(long timestamp)
    {
        while (true)
        {
            long remaining = timestamp - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            long nanoseconds = (long)(remaining * (1_000_000_000.0 / Stopwatch.Frequency));
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            {
                Thread.Sleep(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, nanoseconds / 100)));
                continue;
            }

            var request = new TimeSpec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };

            // EINTR (a signal) returns early; the loop sleeps the rest.
            _ = NanoSleep(in request, IntPtr.Zero);
        }
    }

    [LibraryImport("libc", EntryPoint = "nanosleep", SetLastError = true)]
    private static partial int NanoSleep(in TimeSpec request, IntPtr remaining);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
