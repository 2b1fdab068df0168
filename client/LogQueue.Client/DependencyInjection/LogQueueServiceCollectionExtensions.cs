using LogQueue.Engine.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LogQueue.Client;

/// <summary>Registers LogQueue clients and consumers in a service collection.</summary>
public static class LogQueueServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ILogQueueClient"/> as a singleton <see cref="LogQueueClient"/> that connects on its first
    /// call and is disposed with the container (dispose the container asynchronously, as hosts do). Options come
    /// through <see cref="IOptions{TOptions}"/>, so configuration binding works too.
    /// </summary>
    public static IServiceCollection AddLogQueueClient(this IServiceCollection services, Action<LogQueueClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<LogQueueClientOptions>().Configure(configure).Validate(
            static options =>
            {
                options.Validate();
                return true;
            });
        services.TryAddSingleton<ILogQueueClient>(static provider => new LogQueueClient(
            provider.GetRequiredService<IOptions<LogQueueClientOptions>>(),
            provider.GetService<ILoggerFactory>(),
            provider.GetService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Registers <see cref="ILogQueueClient"/> as a singleton <see cref="EmbeddedLogQueueClient"/> over a data
    /// directory, opened on its first call and closed (flushed, unlocked) with the container.
    /// </summary>
    public static IServiceCollection AddEmbeddedLogQueueClient(this IServiceCollection services, Action<QueueEngineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<QueueEngineOptions>().Configure(configure);
        services.TryAddSingleton<ILogQueueClient>(static provider => new EmbeddedLogQueueClient(
            provider.GetRequiredService<IOptions<QueueEngineOptions>>(),
            provider.GetService<ILoggerFactory>(),
            provider.GetService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Adds a hosted <see cref="LogQueueConsumerService{THandler}"/> consuming <paramref name="queueName"/>, and
    /// registers <typeparamref name="THandler"/> as scoped (unless already registered). Call once per queue; an
    /// <see cref="ILogQueueClient"/> must be registered too.
    /// </summary>
    public static IServiceCollection AddLogQueueConsumer<THandler>(this IServiceCollection services, string queueName, Action<ConsumeOptions>? configure = null)
        where THandler : class, IQueueMessageHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        var options = new ConsumeOptions();
        configure?.Invoke(options);
        options.Validate();
        services.TryAddScoped<THandler>();

        // Not AddHostedService: it registers one implementation type once, and a handler may serve several queues.
        services.AddSingleton<IHostedService>(provider =>
        {
            if (options.Logger is null)
            {
                options.Logger = provider.GetService<ILoggerFactory>()?.CreateLogger<LogQueueConsumerService<THandler>>();
            }

            return new LogQueueConsumerService<THandler>(
                provider.GetRequiredService<ILogQueueClient>(),
                provider.GetRequiredService<IServiceScopeFactory>(),
                queueName,
                options);
        });
        return services;
    }
}
