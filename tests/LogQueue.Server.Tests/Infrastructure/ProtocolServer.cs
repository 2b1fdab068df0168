using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using LogQueue.TestSupport;

namespace LogQueue.Server.Tests.Infrastructure;

/// <summary>
/// A server process listening for the binary protocol on a free port of 127.0.0.1, on its own data directory
/// (or a given one, to restart on the same data). Disposing kills it if it still runs.
/// </summary>
public sealed partial class ProtocolServer : IAsyncDisposable
{
    private readonly TempDirectory? _ownedDirectory;

    private ProtocolServer(ServerProcess process, IPEndPoint endpoint, string dataDirectory, TempDirectory? ownedDirectory)
    {
        Process = process;
        Endpoint = endpoint;
        DataDirectory = dataDirectory;
        _ownedDirectory = ownedDirectory;
    }

    public ServerProcess Process { get; }

    public IPEndPoint Endpoint { get; }

    public string DataDirectory { get; }

    /// <summary>Starts a server; <paramref name="options"/> are <c>LogQueue:</c> keys and values (MaxConnections = 2, say).</summary>
    public static async Task<ProtocolServer> StartAsync(IReadOnlyDictionary<string, string>? options = null, string? dataDirectory = null)
    {
        TempDirectory? owned = dataDirectory is null ? new TempDirectory("lq-protocol") : null;
        string data = dataDirectory ?? owned!.Combine("data");
        var args = new List<string> { "--data-dir", data, "--port", "0", "--http-port", "0" };
        foreach ((string key, string value) in options ?? new Dictionary<string, string>())
        {
            args.Add($"--LogQueue:{key}");
            args.Add(value);
        }

        ServerProcess process = ServerProcess.Start(args);
        try
        {
            string line = await process.WaitForLineAsync(l => StartedLine().IsMatch(l), ServerProcess.StartTimeout);
            Match match = StartedLine().Match(line);
            var endpoint = new IPEndPoint(IPAddress.Parse(match.Groups["ip"].Value), int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
            return new ProtocolServer(process, endpoint, data, owned);
        }
        catch
        {
            await process.DisposeAsync();
            owned?.Dispose();
            throw;
        }
    }

    public Task<RawProtocolConnection> ConnectAsync() => RawProtocolConnection.ConnectAsync(Endpoint);

    public Task<RawProtocolConnection> OpenAsync(string? authToken = null, ushort maxVersion = LogQueue.Protocol.ProtocolVersion.Current) =>
        RawProtocolConnection.OpenAsync(Endpoint, authToken, maxVersion);

    /// <summary>The server's resident memory, from /proc.</summary>
    public long ResidentBytes()
    {
        foreach (string line in File.ReadLines($"/proc/{Process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("No VmRSS line.");
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _ownedDirectory?.Dispose();
    }

    [GeneratedRegex(@"started; protocol on (?<ip>[0-9.]+):(?<port>\d+);")]
    private static partial Regex StartedLine();
}
