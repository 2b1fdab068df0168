using Microsoft.Extensions.Options;

namespace LogQueue.Server.Hosting;

/// <summary>
/// Checks <see cref="ServerOptions"/> before anything listens or touches the disk. Every message names the
/// configuration key together with its command-line flag and environment variable, so an operator can find
/// whichever source set the bad value.
/// </summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add($"{Describe(nameof(ServerOptions.DataDirectory), "--data-dir")} must not be empty.");
        }
        else if (!IsUsablePath(options.DataDirectory))
        {
            failures.Add($"{Describe(nameof(ServerOptions.DataDirectory), "--data-dir")} is not a valid path; got '{options.DataDirectory}'.");
        }

        if (!ServerOptions.TryParseBindAddress(options.Bind, out _))
        {
            failures.Add($"{Describe(nameof(ServerOptions.Bind), "--bind")} must be an IP address such as 127.0.0.1, 0.0.0.0 or ::; got '{options.Bind}'.");
        }

        if (options.HttpPort is < 0 or > 65535)
        {
            failures.Add($"{Describe(nameof(ServerOptions.HttpPort), "--http-port")} must be between 0 and 65535 (0 picks a free port); got {options.HttpPort}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Describe(string property, string flag) =>
        $"{ServerOptions.SectionName}:{property} ({flag}, {ServerOptions.SectionName.ToUpperInvariant()}__{property})";

    private static bool IsUsablePath(string path)
    {
        try
        {
            _ = Path.GetFullPath(path);
            return path.IndexOfAny(Path.GetInvalidPathChars()) < 0;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return false;
        }
    }
}
