namespace LogQueue.Bench.Load.Options;

/// <summary>A load-run setting that is malformed, out of range or inconsistent with another; the message says which.</summary>
public sealed class LoadOptionsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LoadOptionsException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public LoadOptionsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public LoadOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
