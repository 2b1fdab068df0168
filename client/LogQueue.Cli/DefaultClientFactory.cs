using LogQueue.Client;

namespace LogQueue.Cli;

/// <summary>
/// Opens the client <c>lq</c> uses by default: the engine in-process over <c>--data-dir</c> when given, else the
/// network client, connected before the command's first call.
/// </summary>
internal static class DefaultClientFactory
{
    /// <summary>The name the server logs for <c>lq</c>'s connections.</summary>
    public const string ClientName = "lq";

    public static async Task<ILogQueueClient> CreateAsync(CliConnectionOptions options, CancellationToken cancellationToken)
    {
        if (options.DataDirectory is { Length: > 0 } dataDirectory)
        {
            return await EmbeddedLogQueueClient.OpenAsync(dataDirectory, loggerFactory: null, cancellationToken);
        }

        // One call per process: connect now so a wrong endpoint or token fails at once, with what the attempt met,
        // instead of after reconnect backoff eats the timeout.
        var clientOptions = new LogQueueClientOptions
        {
            Endpoint = options.Server,
            ClientName = ClientName,
            AuthToken = options.AuthToken,
            RequestTimeout = options.Timeout,
            ConnectTimeout = options.Timeout,
            NaturalBatching = false,
        };
        return await LogQueueClient.ConnectAsync(clientOptions, loggerFactory: null, cancellationToken);
    }
}
