using System.Globalization;
using LogQueue.Engine;
using Microsoft.Extensions.Options;

namespace LogQueue.Server.Hosting;

/// <summary>
/// Checks <see cref="ServerOptions"/> before anything listens or touches the disk. Every message names the
/// configuration key together with its command-line flag (when it has one) and environment variable, and the
/// allowed range, so an operator can find whichever source set the bad value and what to set instead.
/// </summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    private const int MaxFlushIntervalMs = 60_000;
    private const int MaxConnectionsLimit = 1_000_000;
    private const int MaxBatchSizeLimit = 10_000; // the engine's own limit
    private const int MaxHandshakeTimeoutMs = 300_000;

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

        CheckRange(failures, nameof(ServerOptions.Port), "--port", options.Port, 0, 65535, " (0 picks a free port)");
        CheckRange(failures, nameof(ServerOptions.HttpPort), "--http-port", options.HttpPort, 0, 65535, " (0 picks a free port)");
        if (options.Port != 0 && options.Port == options.HttpPort)
        {
            failures.Add($"{Describe(nameof(ServerOptions.Port), "--port")} and {Describe(nameof(ServerOptions.HttpPort), "--http-port")} must differ; both are {options.Port}.");
        }

        if (!ServerOptions.TryParseDurability(options.Durability, out _))
        {
            failures.Add($"{Describe(nameof(ServerOptions.Durability), "--durability")} must be always, interval or none; got '{options.Durability}'.");
        }

        CheckRange(failures, nameof(ServerOptions.FlushIntervalMs), "--flush-interval-ms", options.FlushIntervalMs, 1, MaxFlushIntervalMs, " milliseconds");
        CheckRange(failures, nameof(ServerOptions.MaxConnections), null, options.MaxConnections, 1, MaxConnectionsLimit, string.Empty);
        CheckRange(failures, nameof(ServerOptions.MaxBatchSize), null, options.MaxBatchSize, 1, MaxBatchSizeLimit, " messages");
        CheckRange(failures, nameof(ServerOptions.MaxMessageSize), null, options.MaxMessageSize, ServerOptions.MinMessageSize, ServerOptions.MaxMessageSizeLimit, " bytes (1 KiB to 16 MiB)");
        if (CheckRange(failures, nameof(ServerOptions.MaxFrameLength), null, options.MaxFrameLength, ServerOptions.MinFrameLength, ServerOptions.MaxFrameLengthLimit, " bytes (64 KiB to 256 MiB)")
            && options.MaxMessageSize is >= ServerOptions.MinMessageSize and <= ServerOptions.MaxMessageSizeLimit
            && options.MaxFrameLength < options.MaxMessageSize + ServerOptions.FrameOverheadAllowance)
        {
            failures.Add($"{Describe(nameof(ServerOptions.MaxFrameLength), null)} must be at least {Describe(nameof(ServerOptions.MaxMessageSize), null)} + 64 KiB, "
                + $"so that a message of the largest size fits in a frame: at least {Format(options.MaxMessageSize + ServerOptions.FrameOverheadAllowance)}; got {Format(options.MaxFrameLength)}.");
        }

        CheckRange(failures, nameof(ServerOptions.HandshakeTimeoutMs), null, options.HandshakeTimeoutMs, 1, MaxHandshakeTimeoutMs, " milliseconds");
        CheckRange(failures, nameof(ServerOptions.IdleTimeoutMs), null, options.IdleTimeoutMs, 0, int.MaxValue, " milliseconds (0 for no idle timeout)");

        if (options.AuthToken is not null && string.IsNullOrWhiteSpace(options.AuthToken))
        {
            // Never echo the value: it is a credential.
            failures.Add($"{Describe(nameof(ServerOptions.AuthToken), null)} must not be empty or blank; leave it unset to accept clients without credentials.");
        }

        if (failures.Count == 0)
        {
            // The engine's own rules last: they should never fire after the checks above, but if the engine tightens
            // a limit, start-up must still stop here, before the disk is touched, and not when the engine opens.
            try
            {
                options.ToEngineOptions(Path.GetFullPath(options.DataDirectory)).Validate();
            }
            catch (LogQueueException ex)
            {
                failures.Add($"The queue engine refuses these options: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool CheckRange(List<string> failures, string property, string? flag, int value, int min, int max, string unit)
    {
        if (value >= min && value <= max)
        {
            return true;
        }

        string range = max == int.MaxValue ? $"at least {Format(min)}" : $"between {Format(min)} and {Format(max)}";
        failures.Add($"{Describe(property, flag)} must be {range}{unit}; got {Format(value)}.");
        return false;
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Describe(string property, string? flag) => flag is null
        ? $"{ServerOptions.SectionName}:{property} ({ServerOptions.SectionName.ToUpperInvariant()}__{property})"
        : $"{ServerOptions.SectionName}:{property} ({flag}, {ServerOptions.SectionName.ToUpperInvariant()}__{property})";

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
