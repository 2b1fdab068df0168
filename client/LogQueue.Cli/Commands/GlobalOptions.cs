using System.CommandLine;
using LogQueue.Cli.Parsing;

namespace LogQueue.Cli.Commands;

/// <summary>The options every command takes (<c>--server</c>, <c>--data-dir</c>, <c>--json</c>, <c>--timeout</c>, <c>--token</c>).</summary>
internal sealed class GlobalOptions
{
    /// <summary>How long a command may wait for the server unless <c>--timeout</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public Option<string?> Server { get; } = new("--server", "-s")
    {
        Description = $"The server as host:port (default: ${CliConnectionOptions.ServerVariable}, else {CliConnectionOptions.DefaultServer}).",
        HelpName = "host:port",
        Recursive = true,
    };

    public Option<string?> DataDirectory { get; } = new("--data-dir")
    {
        Description = "Run against an engine opened in-process over this data directory instead of a server (not while a server has it open).",
        HelpName = "dir",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write results as JSON, one object per line.",
        Recursive = true,
    };

    public Option<TimeSpan?> Timeout { get; } = new("--timeout")
    {
        Description = $"Seconds a command may wait for the server (default {DefaultTimeout.TotalSeconds}); a receive's --wait comes on top.",
        HelpName = "seconds",
        Recursive = true,
        CustomParser = SecondsSyntax.Parse,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"The auth token the server asks for (default: ${CliConnectionOptions.TokenVariable}).",
        HelpName = "token",
        Recursive = true,
    };

    public GlobalOptions()
    {
        Timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<TimeSpan?>() is { } timeout && timeout <= TimeSpan.Zero)
            {
                result.AddError("--timeout must be more than 0 seconds.");
            }
        });
    }

    public IEnumerable<Option> All => [Server, DataDirectory, Json, Timeout, Token];

    /// <summary>Where the parsed command's calls go. Environment variables are read here, not in defaults, so help never shows a token.</summary>
    public CliConnectionOptions ConnectionOptions(ParseResult parseResult)
    {
        string server = parseResult.GetValue(Server)
            ?? NonEmpty(Environment.GetEnvironmentVariable(CliConnectionOptions.ServerVariable))
            ?? CliConnectionOptions.DefaultServer;
        string? token = parseResult.GetValue(Token) ?? NonEmpty(Environment.GetEnvironmentVariable(CliConnectionOptions.TokenVariable));
        TimeSpan timeout = parseResult.GetValue(Timeout) is { } given && given > TimeSpan.Zero ? given : DefaultTimeout;
        return new CliConnectionOptions(server, NonEmpty(parseResult.GetValue(DataDirectory)), timeout, token);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
