using LogQueue.Server.Hosting;
using LogQueue.Server.Queues;
using LogQueue.Server.Storage;
using LogQueue.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LogQueue.Server.Tests.Hosting;

/// <summary>The host as built, without starting it: what the protocol handler will find in the container.</summary>
public sealed class ServerHostTests
{
    [Fact]
    public async Task A_connection_can_buffer_one_whole_frame_and_a_little_more_before_the_socket_stops_reading()
    {
        using var temp = new TempDirectory("sockets");
        WebApplication app = ServerHost.Build(["--data-dir", temp.Combine("data"), "--port", "0", "--http-port", "0", "--LogQueue:MaxFrameLength", "2097152"]);
        await using (app)
        {
            Assert.Contains("Socket", app.Services.GetRequiredService<IConnectionListenerFactory>().GetType().Name, StringComparison.Ordinal);
            Assert.Equal((2 << 20) + (64 << 10), app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.MaxReadBufferSize);
        }
    }

    [Fact]
    public async Task The_engine_is_available_from_the_container_once_opened_and_a_clear_error_before()
    {
        using var temp = new TempDirectory("enginehost");
        string dataDirectory = temp.Combine("data");
        WebApplication app = ServerHost.Build(["--data-dir", dataDirectory, "--port", "0", "--http-port", "0", "--durability", "none"]);
        await using (app)
        {
            QueueEngineHost engineHost = app.Services.GetRequiredService<QueueEngineHost>();
            Assert.False(engineHost.IsOpen);
            Assert.Contains("not open yet", Assert.Throws<InvalidOperationException>(() => engineHost.Engine).Message, StringComparison.Ordinal);

            // The engine opens only on a locked data directory.
            await Assert.ThrowsAsync<InvalidOperationException>(() => engineHost.OpenAsync(CancellationToken.None));

            app.Services.GetRequiredService<DataDirectory>().Open();
            await engineHost.OpenAsync(CancellationToken.None);

            Assert.True(engineHost.IsOpen);
            Assert.Equal(dataDirectory, engineHost.Engine.DataDirectory);
            Assert.Equal(LogQueue.Engine.Log.DurabilityMode.None, engineHost.Engine.Options.Durability);
            Assert.False(app.Services.GetRequiredService<ServerStopping>().Token.IsCancellationRequested);
        }
    }
}
