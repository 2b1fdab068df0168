namespace LogQueue.Cli;

/// <summary>
/// What <c>lq</c> exits with, so scripts can tell a refused request from a typo from an unreachable server.
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The server (or the embedded engine) refused the request; stderr names the error code.</summary>
    public const int RequestRefused = 1;

    /// <summary>The command line is wrong (unknown command or option, a missing or malformed value).</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached, the connection was lost, or the call timed out.</summary>
    public const int Unavailable = 3;

    /// <summary>Cancelled by Ctrl-C (SIGINT), as shells report 128 + signal 2.</summary>
    public const int Cancelled = 130;
}
