using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LogQueue.Client;

/// <summary>
/// A hosted worker that runs <see cref="QueueClient.ProcessAsync"/> on one queue for the life of the host,
/// handing each message to a <typeparamref name="THandler"/> from its own DI scope. On shutdown it stops
/// receiving, lets running handlers finish (their token is cancelled) and settles their messages. Register it
/// with <c>services.AddLogQueueConsumer&lt;THandler&gt;(queueName)</c>.
/// </summary>
/// <typeparam name="THandler">The message handler.</typeparam>
public sealed class LogQueueConsumerService<THandler> : BackgroundService
    where THandler : IQueueMessageHandler
{
    private readonly ILogQueueClient _client;
    private readonly IServiceScopeFactory _scopes;
    private readonly ConsumeOptions _options;

    /// <summary>Creates the worker for <paramref name="queueName"/>.</summary>
    public LogQueueConsumerService(ILogQueueClient client, IServiceScopeFactory scopes, string queueName, ConsumeOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _scopes = scopes;
        QueueName = queueName;
        _options = options;
    }

    /// <summary>The queue this worker consumes.</summary>
    public string QueueName { get; }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _client.GetQueue(QueueName).ProcessAsync(HandleInScopeAsync, _options, stoppingToken);

    private async Task HandleInScopeAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        AsyncServiceScope scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            THandler handler = scope.ServiceProvider.GetRequiredService<THandler>();
            await handler.HandleAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }
}
