using LogQueue.Client;

namespace LogQueue.Cli;

/// <summary>
/// Opens the client a command runs against. The default opens <c>LogQueueClient</c> or
/// <c>EmbeddedLogQueueClient</c>; tests pass their own to run the command layer against anything.
/// </summary>
/// <param name="options">Where the calls go.</param>
/// <param name="cancellationToken">Cancels opening (Ctrl-C, or the call timeout).</param>
public delegate Task<ILogQueueClient> CliClientFactory(CliConnectionOptions options, CancellationToken cancellationToken);
