using LogQueue.Client;

namespace LogQueue.Cli;

/// <summary>Opens the client <c>lq</c> uses by default: the network client, connected before the command's first call.</summary>
internal static class DefaultClientFactory
{
    /// <summary>The name the server logs for <c>lq</c>'s connections.</summary>
    public const string ClientName = "lq";

    public static async Task<ILogQueueClient> CreateAsync(CliConnectionOptions options, CancellationToken cancellationToken)
    {
        if (options.IsEmbedded)
        {
            throw new ArgumentException("--data-dir needs the embedded client, which this build of lq does not have yet.");
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
