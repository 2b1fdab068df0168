using System.Globalization;
using System.Text;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using LogQueue.TestSupport;
using Microsoft.Extensions.Options;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

/// <summary>
/// A queue engine on a fresh data directory and a manual clock, for behaviour tests. Time moves only by
/// <see cref="Advance"/>; timers (visibility, delay, long-poll deadlines) fire on the advancing thread.
/// <see cref="ReopenAsync"/> closes the engine cleanly and opens the same directory again on the same clock.
/// </summary>
internal sealed class TestEngine : IAsyncDisposable
{
    /// <summary>How long a test waits for a background continuation before it fails (a bound, not a timing).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _directory;

    private TestEngine(TempDirectory directory, ManualTimeProvider clock, QueueEngineOptions options, QueueEngine engine)
    {
        _directory = directory;
        Clock = clock;
        Options = options;
        Engine = engine;
    }

    public ManualTimeProvider Clock { get; }

    public QueueEngineOptions Options { get; }

    public QueueEngine Engine { get; private set; }

    public string DataDirectory => _directory.Path;

    /// <summary>
    /// Opens an engine. The segment capacity is as small as the engine allows (the engine raises it to
    /// hold its largest message), so that tests do not preallocate 64 MiB per queue.
    /// </summary>
    public static async Task<TestEngine> OpenAsync(DurabilityMode durability = DurabilityMode.Always, Action<QueueEngineOptions>? configure = null)
    {
        var directory = new TempDirectory("queues");
        var clock = new ManualTimeProvider();
        var options = new QueueEngineOptions { DataDirectory = directory.Path, Durability = durability, SegmentCapacity = 4096 };
        configure?.Invoke(options);
        try
        {
            QueueEngine engine = await QueueEngine.OpenAsync(Microsoft.Extensions.Options.Options.Create(options), timeProvider: clock);
            return new TestEngine(directory, clock, options, engine);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Closes the engine cleanly and opens the same data directory again.</summary>
    public async Task ReopenAsync()
    {
        await Engine.DisposeAsync();
        Engine = await QueueEngine.OpenAsync(Microsoft.Extensions.Options.Options.Create(Options), timeProvider: Clock);
    }

    public void Advance(TimeSpan by) => Clock.Advance(by);

    public void AdvanceSeconds(double seconds) => Clock.Advance(TimeSpan.FromSeconds(seconds));

    public long NowMs => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    public Task<string> CreateQueueAsync(string name, params (string Name, string Value)[] attributes) =>
        Engine.CreateQueueAsync(name, attributes.Length == 0 ? null : attributes.ToDictionary(a => a.Name, a => a.Value));

    public Task<SendMessageResult> SendAsync(string queue, string body, TimeSpan? delay = null, MessageAttributes? attributes = null) =>
        Engine.SendMessageAsync(queue, new SendMessageRequest(Encoding.UTF8.GetBytes(body), attributes, delay));

    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int max = 10, TimeSpan? visibility = null, TimeSpan? wait = null, CancellationToken cancellationToken = default) =>
        Engine.ReceiveMessageAsync(queue, new ReceiveMessageRequest(max, visibility, wait), cancellationToken);

    /// <summary>Receives exactly one message (short poll) and returns it.</summary>
    public async Task<ReceivedMessage> ReceiveOneAsync(string queue, TimeSpan? visibility = null) =>
        Assert.Single(await ReceiveAsync(queue, 1, visibility));

    /// <summary>The bodies a short-poll receive of up to <paramref name="max"/> messages returns.</summary>
    public async Task<string[]> ReceiveBodiesAsync(string queue, int max = 10, TimeSpan? visibility = null) =>
        [.. (await ReceiveAsync(queue, max, visibility)).Select(Body)];

    public long Attribute(string queue, string name) =>
        long.Parse(Engine.GetQueueAttributes(queue, [name])[name], CultureInfo.InvariantCulture);

    /// <summary>ApproximateNumberOfMessages, ...NotVisible and ...Delayed.</summary>
    public (long Visible, long NotVisible, long Delayed) Counts(string queue)
    {
        IReadOnlyDictionary<string, string> all = Engine.GetQueueAttributes(queue);
        return (
            long.Parse(all["ApproximateNumberOfMessages"], CultureInfo.InvariantCulture),
            long.Parse(all["ApproximateNumberOfMessagesNotVisible"], CultureInfo.InvariantCulture),
            long.Parse(all["ApproximateNumberOfMessagesDelayed"], CultureInfo.InvariantCulture));
    }

    public static string Body(ReceivedMessage message) => Encoding.UTF8.GetString(message.Body.Span);

    public static MessageAttributes Attributes(params (string Name, MessageAttributeValue Value)[] attributes) =>
        MessageAttributes.Create(attributes.Select(a => new KeyValuePair<string, MessageAttributeValue>(a.Name, a.Value)));

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        _directory.Dispose();
    }
}
