using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using LogQueue.Cli.Output;
using LogQueue.Client;
using LogQueue.Protocol;

namespace LogQueue.Cli.Commands;

/// <summary>
/// Runs one command's calls: opens the client, bounds the whole command by <c>--timeout</c> (plus any long-poll
/// wait), and turns every way it can fail into one stderr line and an exit code (see <see cref="ExitCodes"/>).
/// </summary>
internal sealed class CommandRunner
{
    private readonly CliClientFactory _clientFactory;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    public CommandRunner(GlobalOptions globalOptions, CliClientFactory clientFactory, TextWriter stdout, TextWriter stderr, TextReader stdin)
    {
        GlobalOptions = globalOptions;
        _clientFactory = clientFactory;
        _stdout = stdout;
        _stderr = stderr;
        Stdin = stdin;
    }

    public GlobalOptions GlobalOptions { get; }

    /// <summary>Where <c>send</c> reads a body that is not on the command line.</summary>
    public TextReader Stdin { get; }

    /// <summary>Runs <paramref name="body"/> against a fresh client; <paramref name="extraWait"/> extends the deadline for a long poll.</summary>
    public async Task<int> RunAsync(
        ParseResult parseResult,
        Func<ILogQueueClient, CliOutput, CancellationToken, Task<int>> body,
        CancellationToken cancellationToken,
        TimeSpan extraWait = default)
    {
        var output = new CliOutput(_stdout, _stderr, parseResult.GetValue(GlobalOptions.Json));
        CliConnectionOptions options = GlobalOptions.ConnectionOptions(parseResult);
        string target = options.IsEmbedded ? "data directory " + options.DataDirectory : options.Server;
        TimeSpan deadline = options.Timeout + extraWait;
        using var deadlineSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadlineSource.CancelAfter(deadline);
        CancellationToken token = deadlineSource.Token;

        ILogQueueClient client;
        try
        {
            client = await _clientFactory(options, token);
        }
        catch (ArgumentException ex)
        {
            output.Error(ex.Message);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            return Report(ex, output, target, deadline, cancellationToken);
        }

        try
        {
            int exitCode = await body(client, output, token);
            await output.FlushAsync(CancellationToken.None);
            return exitCode;
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            return Report(ex, output, target, deadline, cancellationToken);
        }
        finally
        {
            await DisposeQuietlyAsync(client);
        }
    }

    /// <summary>The message printed for a refused call: the error code's name and number, then the server's text.</summary>
    public static string Describe(LogQueueException ex) =>
        string.Create(CultureInfo.InvariantCulture, $"{ex.Code} ({(int)ex.Code}): {ex.Message}");

    /// <summary>Codes that say the server could not be reached or did not answer, rather than that it refused.</summary>
    public static bool IsUnavailable(ErrorCode code) =>
        code is ErrorCode.ConnectionLost or ErrorCode.RequestTimedOut or ErrorCode.Timeout or ErrorCode.ShuttingDown or ErrorCode.TooManyConnections;

    // A missing assembly is an IOException too, but a broken installation, not an unreachable server: let it surface.
    private static bool IsFailure(Exception ex) =>
        ex is LogQueueException or OperationCanceledException or SocketException or TimeoutException or ObjectDisposedException
        || (ex is IOException && ex is not FileNotFoundException and not FileLoadException);

    private static int Report(Exception ex, CliOutput output, string target, TimeSpan deadline, CancellationToken cancellationToken)
    {
        switch (ex)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                output.Error("cancelled.");
                return ExitCodes.Cancelled;
            case OperationCanceledException or TimeoutException:
                output.Error(string.Create(CultureInfo.InvariantCulture, $"{ErrorCode.RequestTimedOut} ({(int)ErrorCode.RequestTimedOut}): no answer from {target} within {deadline.TotalSeconds:0.###} s."));
                return ExitCodes.Unavailable;
            case LogQueueException refused:
                output.Error(Describe(refused));
                return IsUnavailable(refused.Code) ? ExitCodes.Unavailable : ExitCodes.RequestRefused;
            default:
                output.Error(string.Create(CultureInfo.InvariantCulture, $"{ErrorCode.ConnectionLost} ({(int)ErrorCode.ConnectionLost}): cannot reach {target}: {ex.Message}"));
                return ExitCodes.Unavailable;
        }
    }

    private static async Task DisposeQuietlyAsync(ILogQueueClient client)
    {
        try
        {
            await client.DisposeAsync();
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            // The command's outcome is already decided and reported; a connection that fails while closing changes nothing.
        }
    }
}
