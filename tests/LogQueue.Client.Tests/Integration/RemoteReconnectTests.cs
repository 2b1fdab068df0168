using System.Text;
using LogQueue.Client.Tests.Integration.Infrastructure;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.TestSupport;

namespace LogQueue.Client.Tests.Integration;

/// <summary>A client outliving a server restart, and a server that asks for credentials; each test has its own server.</summary>
[Trait("Category", "Integration")]
public sealed class RemoteReconnectTests
{
    private static readonly ReceiveOptions NoWait = new() { WaitTime = TimeSpan.Zero, MaxNumberOfMessages = 10 };

    private static OutgoingMessage Text(string body) => new(Encoding.UTF8.GetBytes(body));

    [Fact]
    public async Task After_a_server_restart_on_the_same_port_and_data_the_client_reconnects_and_finds_its_messages()
    {
        // A fixed port: the restarted server must be where the client already looks.
        await using RealServer server = await RealServer.StartAsync(FreeTcpPort.Next());
        await using LogQueueClient client = await server.ConnectAsync(o =>
        {
            o.ReconnectBackoffMin = TimeSpan.FromMilliseconds(50);
            o.ReconnectBackoffMax = TimeSpan.FromMilliseconds(500);
        });
        await client.CreateQueueAsync("restart");
        await client.SendMessageAsync("restart", Text("before"));

        await server.StopAsync();
        Assert.True(await Poll.UntilAsync(() => !client.IsConnected), "the client did not notice the server was gone");

        // A call made while the server is down waits for the reconnect, within its timeout.
        Task<SendMessageResponse> sentWhileDown = client.SendMessageAsync("restart", Text("during"));
        await server.RestartAsync();
        await sentWhileDown.WaitAsync(Poll.DefaultTimeout);

        await client.SendMessageAsync("restart", Text("after"));
        IReadOnlyList<QueueMessage> received = await client.ReceiveMessagesAsync("restart", NoWait);
        Assert.Equal(["after", "before", "during"], received.Select(m => m.BodyAsString()).Order());
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_with_AuthenticationFailed_and_the_right_one_is_accepted()
    {
        await using RealServer server = await RealServer.StartAsync(environment: new Dictionary<string, string> { ["LOGQUEUE__AUTHTOKEN"] = "s3cret" });

        var wrong = await Assert.ThrowsAsync<LogQueueException>(() => server.ConnectAsync(o => o.AuthToken = "wrong"));
        Assert.Equal(ErrorCode.AuthenticationFailed, wrong.Code);
        var missing = await Assert.ThrowsAsync<LogQueueException>(() => server.ConnectAsync());
        Assert.Equal(ErrorCode.AuthenticationFailed, missing.Code);

        // A client that connects lazily fails its call with the same code, long before the request timeout.
        await using (var lazy = new LogQueueClient(Microsoft.Extensions.Options.Options.Create(new LogQueueClientOptions { Endpoint = server.Endpoint, AuthToken = "wrong" })))
        {
            var refused = await Assert.ThrowsAsync<LogQueueException>(() => lazy.ListQueuesAsync().WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(ErrorCode.AuthenticationFailed, refused.Code);
        }

        await using LogQueueClient right = await server.ConnectAsync(o => o.AuthToken = "s3cret");
        await right.CreateQueueAsync("authenticated");
        Assert.Equal(["authenticated"], await right.ListQueuesAsync());
    }
}
