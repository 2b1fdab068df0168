namespace LogQueue.Server.Hosting;

/// <summary>
/// Process exit codes of the server. Scripts and service managers branch on them, so the numbers are
/// stable: never renumber one.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The server ran and shut down cleanly (including after SIGTERM or Ctrl-C), or printed help.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure; the log says what happened.</summary>
    public const int Failure = 1;

    /// <summary>An option or command-line argument is invalid; the log names it.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>The data directory cannot be used: another server holds its lock, or it cannot be created or written.</summary>
    public const int DataDirectoryUnavailable = 3;

    /// <summary>The server cannot listen on the configured address and port (in use, or not an address of this machine).</summary>
    public const int CannotListen = 4;

    /// <summary>
    /// The queue engine cannot open its storage in the data directory: queue data is corrupt in a way recovery
    /// does not repair (a damaged key file or queue metadata), or it cannot be read or created.
    /// </summary>
    public const int StorageUnavailable = 5;
}
