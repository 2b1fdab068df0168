using System.Net;
using System.Net.Sockets;

namespace LogQueue.Server.Hosting;

/// <summary>
/// Settings of the server host, bound from the <c>LogQueue</c> configuration section: appsettings.json,
/// then <c>LOGQUEUE__</c> environment variables, then the command line (<see cref="CommandLineSwitches"/>).
/// The defaults here are the zero-configuration behaviour and match the shipped appsettings.json.
/// </summary>
internal sealed class ServerOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "LogQueue";

    /// <summary>Where queues are stored; a relative path is resolved against the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The IP address every listener binds to; 0.0.0.0 or :: listen on all interfaces.</summary>
    public string Bind { get; set; } = "127.0.0.1";

    /// <summary>The HTTP port (health endpoints); 0 lets the system pick a free port, which the start-up log names.</summary>
    public int HttpPort { get; set; } = 7151;

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
