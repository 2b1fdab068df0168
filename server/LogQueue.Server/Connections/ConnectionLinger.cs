using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace LogQueue.Server.Connections;

/// <summary>
/// The last step of a connection the server closes while the client may still be sending. Closing a socket with
/// unread bytes in it makes the kernel send a reset instead of a normal close, and a reset can destroy the last
/// responses (the error that says why) before the client reads them. So the server keeps reading and discarding,
/// for a bounded time and byte count, until the client, having read the error, closes its side.
/// </summary>
internal static class ConnectionLinger
{
    /// <summary>How long a closing connection keeps discarding what the client sends.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    /// <summary>How much it discards at most.</summary>
    public const long Budget = 1 << 20;

    public static async Task DrainAsync(PipeReader input)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        long discarded = 0;
        try
        {
            while (discarded < Budget)
            {
                ReadResult result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                discarded += result.Buffer.Length;
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or ConnectionResetException)
        {
            // Timed out, reset, or the input was already completed: the socket closes now either way.
        }
    }
}
