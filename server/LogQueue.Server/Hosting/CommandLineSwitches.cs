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
        ["--http-port"] = $"{ServerOptions.SectionName}:{nameof(ServerOptions.HttpPort)}",
    };

    // Host settings the generic host itself reads from the command line.
    private static readonly HashSet<string> HostKeys = new(StringComparer.OrdinalIgnoreCase) { "environment", "applicationName" };

    private static readonly HashSet<string> HelpFlags = new(StringComparer.Ordinal) { "-h", "--help", "-?" };

    public const string VersionFlag = "--version";

    public static string Usage => $"""
        LogQueue server {ServerVersion.Current}

        Usage: LogQueue.Server [options]

        Options:
          --data-dir <path>      data directory, created if missing       LogQueue:DataDirectory  (default: data, relative to the working directory)
          --bind <ip>            address to listen on                     LogQueue:Bind           (default: 127.0.0.1; 0.0.0.0 or :: for all interfaces)
          --http-port <port>     HTTP port (health), 0 for any free port  LogQueue:HttpPort       (default: 7151)
          --<section>:<key> <v>  any configuration key, e.g. --Logging:LogLevel:Default Debug
          --version              print the version and exit
          -h, --help             print this help and exit

        Configuration sources, later ones win: appsettings.json next to the server binaries, environment
        variables (LOGQUEUE__DataDirectory, LOGQUEUE__Bind, LOGQUEUE__HttpPort), the command line.

        Exit codes: 0 clean shutdown, 1 unexpected failure, 2 invalid configuration, 3 data directory locked by
        another server or unusable, 4 cannot listen on the address and port.

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
