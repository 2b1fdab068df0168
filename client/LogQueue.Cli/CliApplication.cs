using System.CommandLine;
using System.CommandLine.Help;
using LogQueue.Cli.Commands;

namespace LogQueue.Cli;

/// <summary>
/// The <c>lq</c> command line as a callable: parse, run one command, return the exit code (<see cref="ExitCodes"/>).
/// Writers and the cancellation token come from the caller, so tests run it in-process exactly as the tool runs.
/// </summary>
public static class CliApplication
{
    /// <summary>Runs <paramref name="args"/> against the server or data directory they name.</summary>
    /// <param name="args">The arguments after the command name.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where usage and failure messages go.</param>
    /// <param name="stdin">Where <c>send</c> reads a body not given on the command line.</param>
    /// <param name="cancellationToken">Cancels the running command (Ctrl-C); it then exits with <see cref="ExitCodes.Cancelled"/>.</param>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, CancellationToken cancellationToken) =>
        RunAsync(args, stdout, stderr, stdin, DefaultClientFactory.CreateAsync, cancellationToken);

    /// <summary>Runs <paramref name="args"/> with clients from <paramref name="clientFactory"/>.</summary>
    /// <param name="args">The arguments after the command name.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where usage and failure messages go.</param>
    /// <param name="stdin">Where <c>send</c> reads a body not given on the command line.</param>
    /// <param name="clientFactory">Opens the client each command runs against.</param>
    /// <param name="cancellationToken">Cancels the running command (Ctrl-C); it then exits with <see cref="ExitCodes.Cancelled"/>.</param>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        TextReader stdin,
        CliClientFactory clientFactory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(clientFactory);

        var globalOptions = new GlobalOptions();
        RootCommand root = BuildRootCommand(new CommandRunner(globalOptions, clientFactory, stdout, stderr, stdin), globalOptions);
        ParseResult parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not HelpAction)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parseResult.Errors)
            {
                await stderr.WriteLineAsync("lq: " + error.Message);
            }

            await stderr.WriteLineAsync("Run 'lq --help' (or 'lq COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }

        // The caller owns Ctrl-C (Program wires it to the token); the library must not install signal handlers of its own.
        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        return await parseResult.InvokeAsync(invocation, cancellationToken);
    }

    private static RootCommand BuildRootCommand(CommandRunner runner, GlobalOptions globalOptions)
    {
        var root = new RootCommand(
            "lq: the LogQueue command line. Talks to a server (--server, default 127.0.0.1:7150) or runs the engine " +
            "in-process (--data-dir). Exit codes: 0 done, 1 refused by the server, 2 bad usage, 3 server unreachable " +
            "or timed out, 130 cancelled.");
        foreach (Option option in globalOptions.All)
        {
            root.Options.Add(option);
        }

        foreach (Command command in QueueCommands.Create(runner)
            .Concat(MessageCommands.Create(runner))
            .Concat(MoveTaskCommands.Create(runner))
            .Concat(ServerCommands.Create(runner)))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
