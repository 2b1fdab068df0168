namespace LogQueue.Server.Hosting;

/// <summary>
/// The server's command-line flags and their configuration keys. The configuration command-line provider
/// silently ignores what it does not understand, so a mistyped flag (<c>--http-prot</c>) would otherwise start
/// a server with defaults the operator did not ask for; <see cref="FindInvalidArgument"/> catches that.
/// </summary>
internal static class CommandLineSwitches
{
    /// <summary>Flag to configuration key, for <c>AddCommandLine(args, Mappings)</c>.</summary>
    public static IReadOnlyDictionary<string, string> Mappings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--data-dir"] = $"{ServerOptions.SectionName}:{nameof(ServerOptions.DataDirectory)}",
        ["--bind"] = $"{ServerOptions.SectionName}:{nameof(ServerOptions.Bind)}",
        ["--port"] = $"{ServerOptions.SectionName}:{nameof(ServerOptions.Port)}",
        ["--http-port"] = $"{ServerOptions.SectionName}:{nameof(ServerOptions.HttpPort)}",
        ["--durability"] = $"{ServerOptions.SectionName}:{nameof(ServerOptions.Durability)}",
        ["--flush-interval-ms"] = $"{ServerOptions.SectionName}:{nameof(ServerOptions.FlushIntervalMs)}",
    };

    // Host settings the generic host itself reads from the command line.
    private static readonly HashSet<string> HostKeys = new(StringComparer.OrdinalIgnoreCase) { "environment", "applicationName" };

    private static readonly HashSet<string> HelpFlags = new(StringComparer.Ordinal) { "-h", "--help", "-?" };

    public const string VersionFlag = "--version";

    public static string Usage => $"""
        LogQueue server {ServerVersion.Current}

        Usage: LogQueue.Server [options]

        Options:
          --data-dir <path>           data directory, created if missing          LogQueue:DataDirectory   (default: data, relative to the working directory)
          --bind <ip>                 address to listen on                        LogQueue:Bind            (default: 127.0.0.1; 0.0.0.0 or :: for all interfaces)
          --port <port>               binary protocol port, 0 for any free port   LogQueue:Port            (default: 7150)
          --http-port <port>          HTTP port (health), 0 for any free port     LogQueue:HttpPort        (default: 7151)
          --durability <mode>         always: a send or delete is acknowledged    LogQueue:Durability      (default: always)
                                      after fsync; interval: fsync every flush
                                      interval; none: the OS writes when it likes
          --flush-interval-ms <ms>    flush period under interval, 1..60000       LogQueue:FlushIntervalMs (default: 100)
          --<section>:<key> <v>       any configuration key, e.g. --Logging:LogLevel:Default Debug
          --version                   print the version and exit
          -h, --help                  print this help and exit

        Other keys (configuration, environment or --LogQueue:<Key> <v>):
          LogQueue:MaxConnections      binary protocol connections at once, 1..1000000          (default: 1024)
          LogQueue:MaxFrameLength      largest protocol frame in bytes, 64 KiB..256 MiB and at  (default: 16777216)
                                       least MaxMessageSize + 64 KiB
          LogQueue:MaxBatchSize        messages per batch, 1..10000                             (default: 100)
          LogQueue:MaxMessageSize      largest message in bytes, 1 KiB..16 MiB                  (default: 1048576)
          LogQueue:HandshakeTimeoutMs  time to complete the handshake, 1..300000                (default: 5000)
          LogQueue:IdleTimeoutMs       close a silent connection after this, 0 for never        (default: 300000)
          LogQueue:AuthToken           token clients must present; unset: no credentials needed (default: unset)

        Configuration sources, later ones win: appsettings.json next to the server binaries, environment
        variables (LOGQUEUE__<Key>, e.g. LOGQUEUE__DataDirectory, LOGQUEUE__Port), the command line.

        Exit codes: 0 clean shutdown, 1 unexpected failure, 2 invalid configuration, 3 data directory locked by
        another server or unusable, 4 cannot listen on the address and port, 5 the queue engine cannot open its
        storage (corrupt or unreadable queue data; the log names the file).

        """;

    public static bool IsHelpRequested(IEnumerable<string> args) => args.Any(HelpFlags.Contains);

    public static bool IsVersionRequested(IEnumerable<string> args) => args.Any(a => a == VersionFlag);

    /// <summary>
    /// Returns a description of the first argument that is neither a known flag, nor a configuration key
    /// (<c>--Section:Key value</c>, <c>--Section:Key=value</c> or <c>Section:Key=value</c>), nor a value of one;
    /// null when all are valid.
    /// </summary>
    public static string? FindInvalidArgument(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? arg : arg[..equals];

            if (arg.StartsWith("--", StringComparison.Ordinal) && name.Length > 2)
            {
                string key = name[2..];
                if (!Mappings.ContainsKey(name) && !key.Contains(':', StringComparison.Ordinal) && !HostKeys.Contains(key))
                {
                    return $"Unknown option '{name}'. Known options: {string.Join(", ", Mappings.Keys)}, or any configuration key as --Section:Key <value>; see --help.";
                }

                if (equals < 0)
                {
                    if (i + 1 >= args.Count)
                    {
                        return $"Option '{name}' needs a value.";
                    }

                    i++; // the value, which may itself start with '-'
                }
            }
            else if (!(equals > 0 && name.Contains(':', StringComparison.Ordinal) && name[0] != '-' && name[0] != '/'))
            {
                return $"Unexpected argument '{arg}'; options take the form --name <value>, see --help.";
            }
        }

        return null;
    }
}
