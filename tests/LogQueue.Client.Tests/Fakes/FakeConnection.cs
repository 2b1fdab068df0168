using System.Net.Sockets;

namespace LogQueue.Client.Tests.Fakes;

/// <summary>One client connection to the fake server.</summary>
public sealed class FakeConnection : IAsyncDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _disposed;

    public FakeConnection(TcpClient client)
    {
        Client = client;
        Stream = client.GetStream();
    }

    public TcpClient Client { get; }

    public NetworkStream Stream { get; }

    /// <summary>Writes bytes; byte by byte (each flushed on its own) to test frames split across reads.</summary>
    public async Task WriteAsync(byte[] bytes, bool byteByByte)
    {
        await _writeLock.WaitAsync();
        try
        {
            if (!byteByByte)
            {
                await Stream.WriteAsync(bytes);
                return;
            }

            for (int i = 0; i < bytes.Length; i++)
            {
                await Stream.WriteAsync(bytes.AsMemory(i, 1));
                await Stream.FlushAsync();
                if (i % 7 == 0)
                {
                    await Task.Delay(1);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // The client went away; the test sees that on its side.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        // An abortive close (RST), as a crashed server's kernel would do, rather than a polite FIN.
        try
        {
            Client.Client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        Client.Dispose();
        return ValueTask.CompletedTask;
    }
}
