namespace LogQueue.Cli;

/// <summary>Where a command's calls go: a server over TCP, or an engine opened in-process over a data directory.</summary>
/// <param name="Server">The server as <c>host:port</c>; ignored when <paramref name="DataDirectory"/> is set.</param>
/// <param name="DataDirectory">Run against an embedded engine over this directory instead of a server.</param>
/// <param name="Timeout">How long one call may take (a receive's long-poll wait comes on top).</param>
/// <param name="AuthToken">The shared secret the server asks for, if any.</param>
public sealed record CliConnectionOptions(string Server, string? DataDirectory, TimeSpan Timeout, string? AuthToken)
{
    /// <summary>The server <c>lq</c> talks to when neither <c>--server</c> nor <c>LOGQUEUE_SERVER</c> says otherwise.</summary>
    public const string DefaultServer = "127.0.0.1:7150";

    /// <summary>The environment variable that overrides <see cref="DefaultServer"/>.</summary>
    public const string ServerVariable = "LOGQUEUE_SERVER";

    /// <summary>The environment variable that supplies the auth token when <c>--token</c> is absent (keeps it out of <c>ps</c>).</summary>
    public const string TokenVariable = "LOGQUEUE_TOKEN";

    /// <summary>True when the calls go to an in-process engine rather than a server.</summary>
    public bool IsEmbedded => !string.IsNullOrEmpty(DataDirectory);
}
