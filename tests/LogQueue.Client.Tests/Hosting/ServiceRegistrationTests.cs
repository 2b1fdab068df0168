using System.Collections.Concurrent;
using LogQueue.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LogQueue.Client.Tests.Hosting;

public sealed class ServiceRegistrationTests : IDisposable
{
    private readonly TempDirectory _directory = new("di");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AddLogQueueClient_resolves_a_singleton_remote_client_with_the_configured_options()
    {
        var services = new ServiceCollection();
        services.AddLogQueueClient(o =>
        {
            o.Endpoint = "127.0.0.1:1";
            o.ClientName = "di-test";
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        ILogQueueClient client = provider.GetRequiredService<ILogQueueClient>();

        Assert.Same(client, provider.GetRequiredService<ILogQueueClient>());
        LogQueueClient remote = Assert.IsType<LogQueueClient>(client);
        Assert.Equal("di-test", remote.Options.ClientName);
        Assert.Equal("127.0.0.1:1", provider.GetRequiredService<IOptions<LogQueueClientOptions>>().Value.Endpoint);
    }

    [Fact]
    public async Task The_embedded_client_is_disposed_with_the_container_and_releases_its_directory()
    {
        var services = new ServiceCollection();
        services.AddEmbeddedLogQueueClient(o => o.DataDirectory = _directory.Path);
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            ILogQueueClient client = provider.GetRequiredService<ILogQueueClient>();
            await client.CreateQueueAsync("kept");
        }

        // The directory lock is free again, and the queue was flushed to it.
        await using EmbeddedLogQueueClient reopened = await EmbeddedLogQueueClient.OpenAsync(_directory.Path);
        Assert.Equal(["kept"], await reopened.ListQueuesAsync());
    }

    [Fact]
    public async Task A_hosted_consumer_hands_each_message_to_a_scoped_handler_and_deletes_it()
    {
        RecordingHandler.Seen.Clear();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddEmbeddedLogQueueClient(o => o.DataDirectory = _directory.Path);
        builder.Services.AddLogQueueConsumer<RecordingHandler>("jobs", o => o.WaitTime = TimeSpan.FromMilliseconds(100));
        using IHost host = builder.Build();
        ILogQueueClient client = host.Services.GetRequiredService<ILogQueueClient>();
        await client.CreateQueueAsync("jobs");
        await client.GetQueue("jobs").SendAsync("first");
        await client.GetQueue("jobs").SendAsync("second");

        await host.StartAsync();
        Assert.True(await Poll.UntilAsync(() => RecordingHandler.Seen.Count == 2));
        Assert.True(await Poll.UntilAsync(() => client.GetQueueAttributesAsync("jobs").Result["ApproximateNumberOfMessagesNotVisible"] == "0"));
        await host.StopAsync();

        Assert.Equal(["first", "second"], RecordingHandler.Seen.Order());
        Assert.Equal("0", (await client.GetQueueAttributesAsync("jobs"))["ApproximateNumberOfMessages"]);
        await ((IAsyncDisposable)host).DisposeAsync();
    }

    public sealed class RecordingHandler : IQueueMessageHandler
    {
        public static readonly ConcurrentBag<string> Seen = [];

        public Task HandleAsync(QueueMessage message, CancellationToken cancellationToken)
        {
            Seen.Add(message.BodyAsString());
            return Task.CompletedTask;
        }
    }
}
