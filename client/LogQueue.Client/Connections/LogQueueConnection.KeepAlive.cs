using LogQueue.Protocol;
using LogQueue.Protocol.Operations;

namespace LogQueue.Client.Connections;

internal sealed partial class LogQueueConnection
{
    /// <summary>
    /// The server closes a connection that sends nothing for its idle timeout (from the Hello). Every third of it,
    /// a connection that wrote nothing in that time sends a Ping, so a client that only waits on long polls, or
    /// sits quiet between bursts, keeps its connection.
    /// </summary>
    private async Task KeepAliveLoopAsync(ConnectionTransport transport)
    {
        if (transport.Server.IdleTimeoutMs <= 0)
        {
            return;
        }

        TimeSpan interval = TimeSpan.FromMilliseconds(Math.Max(transport.Server.IdleTimeoutMs / 3, 50));
        CancellationToken closing = transport.Closing.Token;
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(closing).ConfigureAwait(false))
            {
                if (_time.GetElapsedTime(transport.LastWriteTimestamp) < interval)
                {
                    continue;
                }

                var ping = new PendingRequest<EmptyResponse>();
                Enqueue<PingRequest, EmptyResponse>(transport, PingRequest.Instance, ping);
                try
                {
                    await AwaitResponseAsync(transport, ping, Opcode.Ping, interval, closing).ConfigureAwait(false);
                }
                catch (LogQueueException ex)
                {
                    // A lost connection is handled by the reader; a slow ping only gets logged.
                    LogKeepAliveFailed(Name, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            // The transport closed.
        }
    }
}
