using System.Globalization;
using LogQueue.Engine.Queues;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using EngineErrorCode = LogQueue.Engine.ErrorCode;
using EngineException = LogQueue.Engine.LogQueueException;

namespace LogQueue.Client;

public sealed partial class EmbeddedLogQueueClient
{
    private static readonly string[] CountAttributes =
    [
        QueueAttributeNames.ApproximateNumberOfMessages,
        QueueAttributeNames.ApproximateNumberOfMessagesNotVisible,
        QueueAttributeNames.ApproximateNumberOfMessagesDelayed,
    ];

    /// <inheritdoc />
    public async Task<string> CreateQueueAsync(string queueName, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default)
    {
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await engine.CreateQueueAsync(queueName, attributes, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public async Task DeleteQueueAsync(string queueName, CancellationToken cancellationToken = default)
    {
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await engine.DeleteQueueAsync(queueName, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListQueuesAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return engine.ListQueues(prefix);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(string queueName, IReadOnlyList<string>? attributeNames = null, CancellationToken cancellationToken = default)
    {
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return engine.GetQueueAttributes(queueName, attributeNames is { Count: > 0 } ? attributeNames : null);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public async Task SetQueueAttributesAsync(string queueName, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await engine.SetQueueAttributesAsync(queueName, attributes, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public async Task PurgeQueueAsync(string queueName, CancellationToken cancellationToken = default)
    {
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await engine.PurgeQueueAsync(queueName, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public async Task<string> StartMessageMoveTaskAsync(string sourceQueue, string? destinationQueue = null, int? maxNumberOfMessagesPerSecond = null, CancellationToken cancellationToken = default)
    {
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return engine.StartMessageMoveTask(sourceQueue, destinationQueue, maxNumberOfMessagesPerSecond);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MessageMoveTask>> ListMessageMoveTasksAsync(string sourceQueue, int maxResults = 1, CancellationToken cancellationToken = default)
    {
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return [.. engine.ListMessageMoveTasks(sourceQueue, maxResults).Select(Embedded.EngineMapping.ToProtocol)];
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public async Task<long> CancelMessageMoveTaskAsync(string taskHandle, CancellationToken cancellationToken = default)
    {
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return engine.CancelMessageMoveTask(taskHandle);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        long started = _time.GetTimestamp();
        await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        return _time.GetElapsedTime(started);
    }

    /// <summary>Statistics as the server reports them: no connections, and per-queue counts from the engine.</summary>
    public async Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        QueueEngine engine = await GetEngineAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var queues = new List<QueueStats>();
            foreach (string name in engine.ListQueues())
            {
                IReadOnlyDictionary<string, string> counts;
                try
                {
                    counts = engine.GetQueueAttributes(name, CountAttributes);
                }
                catch (EngineException ex) when (ex.Code == EngineErrorCode.QueueDoesNotExist)
                {
                    continue; // deleted since the listing
                }

                queues.Add(new QueueStats(name, Count(counts, 0), Count(counts, 1), Count(counts, 2)));
            }

            return new StatsResponse(
                "embedded " + (typeof(QueueEngine).Assembly.GetName().Version?.ToString() ?? "0.0.0"),
                (long)Uptime.TotalMilliseconds,
                OpenConnections: 0,
                ConnectionsAccepted: 0,
                Interlocked.Read(ref _requestsServed),
                engine.Options.Durability.ToString().ToLowerInvariant(),
                queues);
        }
        catch (EngineException ex)
        {
            throw Translate(ex);
        }
    }

    private static long Count(IReadOnlyDictionary<string, string> attributes, int index) =>
        attributes.TryGetValue(CountAttributes[index], out string? text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : 0;
}
