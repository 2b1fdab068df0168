using System.Net;
using System.Net.Sockets;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;

namespace LogQueue.Server.Hosting;

/// <summary>
/// Settings of the server host, bound from the <c>LogQueue</c> configuration section: appsettings.json,
/// then <c>LOGQUEUE__</c> environment variables, then the command line (<see cref="CommandLineSwitches"/>).
/// The defaults here are the zero-configuration behaviour and match the shipped appsettings.json.
/// </summary>
/// <remarks>
/// Only settable properties: the binder rejects unknown keys (a typo stops start-up), but it would silently skip
/// a key that names a get-only property, so derived values are methods (<see cref="ToEngineOptions"/>).
/// </remarks>
internal sealed class ServerOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "LogQueue";

    public const int DefaultPort = 7150;
    public const int MinFrameLength = 64 << 10;
    public const int MaxFrameLengthLimit = 256 << 20;
    public const int MinMessageSize = 1 << 10;
    public const int MaxMessageSizeLimit = 16 << 20;

    /// <summary>
    /// What a frame needs beyond one message of <see cref="MaxMessageSize"/>: the frame header, the queue name or
    /// URL, and the message attributes, which SQS counts inside the message size but which the encoding enlarges.
    /// </summary>
    public const int FrameOverheadAllowance = 64 << 10;

    /// <summary>Where queues are stored; a relative path is resolved against the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The IP address every listener binds to; 0.0.0.0 or :: listen on all interfaces.</summary>
    public string Bind { get; set; } = "127.0.0.1";

    /// <summary>The binary protocol port; 0 lets the system pick a free port, which the start-up log names.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The HTTP port (health endpoints); 0 lets the system pick a free port, which the start-up log names.</summary>
    public int HttpPort { get; set; } = 7151;

    /// <summary>When a send or delete counts as done: <c>always</c>, <c>interval</c> or <c>none</c> (any case); see <see cref="DurabilityMode"/>.</summary>
    public string Durability { get; set; } = "always";

    /// <summary>The background flush period in milliseconds under <c>interval</c> durability.</summary>
    public int FlushIntervalMs { get; set; } = 100;

    /// <summary>The most binary protocol connections served at once; enforced by the protocol handler, not by Kestrel, so health checks never starve.</summary>
    public int MaxConnections { get; set; } = 1024;

    /// <summary>The largest protocol frame in bytes, header included; a longer one is refused without reading it.</summary>
    public int MaxFrameLength { get; set; } = 16 << 20;

    /// <summary>The most messages one send, receive, delete or change-visibility batch may hold.</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>The largest MaximumMessageSize a queue may set, in bytes.</summary>
    public int MaxMessageSize { get; set; } = 1 << 20;

    /// <summary>How long a new connection may take to complete its handshake, in milliseconds.</summary>
    public int HandshakeTimeoutMs { get; set; } = 5000;

    /// <summary>How long a connection may stay silent (no request, nothing in flight) before it is closed, in milliseconds; 0 for never.</summary>
    public int IdleTimeoutMs { get; set; } = 300_000;

    /// <summary>The token a client must present in its handshake; null (unset) means no credentials are needed. Never logged.</summary>
    public string? AuthToken { get; set; }

    /// <summary>The configured durability as the engine's enum; call after validation.</summary>
    public DurabilityMode ParseDurability() =>
        TryParseDurability(Durability, out DurabilityMode mode)
            ? mode
            : throw new InvalidOperationException($"Durability '{Durability}' is not always, interval or none; the options were not validated.");

    /// <summary>The queue engine's settings for the data directory and these options.</summary>
    public QueueEngineOptions ToEngineOptions(string dataDirectoryFullPath) => new()
    {
        DataDirectory = dataDirectoryFullPath,
        Durability = ParseDurability(),
        FlushInterval = TimeSpan.FromMilliseconds(FlushIntervalMs),
        MaxBatchSize = MaxBatchSize,
        MaxAllowedMessageSize = MaxMessageSize,
    };

    /// <summary>
    /// Parses a durability name, ignoring case. Only the names: <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/>
    /// would also take "1" or "7", which are not what an operator means.
    /// </summary>
    public static bool TryParseDurability(string? text, out DurabilityMode mode)
    {
        mode = DurabilityMode.Always;
        string? trimmed = text?.Trim();
        foreach (DurabilityMode candidate in Enum.GetValues<DurabilityMode>())
        {
            if (string.Equals(trimmed, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                mode = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses a bind address strictly. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> alone accepts
    /// shorthand such as "7151" (0.0.0.29) or "127.1", which would turn a typo into a surprising listener.
    /// </summary>
    public static bool TryParseBindAddress(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        if (string.IsNullOrWhiteSpace(text) || !IPAddress.TryParse(text, out IPAddress? parsed))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3)
        {
            return false;
        }

        address = parsed;
        return true;
    }
}
