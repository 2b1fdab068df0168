namespace LogQueue.Server.Storage;

/// <summary>
/// The data directory cannot be used by this server: another server holds its lock, or it cannot be created,
/// opened or written. The message names the directory and says which.
/// </summary>
internal sealed class DataDirectoryUnavailableException : Exception
{
    public DataDirectoryUnavailableException()
    {
    }

    public DataDirectoryUnavailableException(string message)
        : base(message)
    {
    }

    public DataDirectoryUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
