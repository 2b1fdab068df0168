using System.Text.Json;
using System.Text.Json.Serialization;
using LogQueue.Bench.Load.Options;
using LogQueue.Bench.Load.Reporting;
using LogQueue.Bench.Load.Runs;
using LogQueue.Client;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using Microsoft.Extensions.Options;

namespace LogQueue.Bench.Load;

/// <summary>
/// <c>LogQueue.Bench load [options]</c>: parse, connect (or open the engine in-process), run, print the report,
/// write the JSON. Exit codes: 0 the run passed, 1 it found lost, corrupt or reordered messages, 2 bad usage,
/// 3 the target could not be reached or refused the run, 130 cancelled.
/// </summary>
internal static class LoadCommand
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Unreachable = 3;
    public const int Cancelled = 130;

    /// <summary>Options for the JSON report: indented, enums and sizes as text.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new MessageSizeRangeJsonConverter() },
    };

    /// <summary>Runs <paramref name="args"/>; <paramref name="interactive"/> draws the live table instead of plain lines.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken)
    {
        LoadOptions options;
        try
        {
            options = LoadCommandLine.Parse(args, out string? help);
            if (help is not null)
            {
                await output.WriteAsync(help).ConfigureAwait(false);
                return Passed;
            }
        }
        catch (LoadOptionsException e)
        {
            await error.WriteLineAsync("load: " + e.Message).ConfigureAwait(false);
            await error.WriteLineAsync("Run 'load --help' for the options.").ConfigureAwait(false);
            return Usage;
        }

        try
        {
            LoadReport report = await RunAsync(options, output, interactive, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(ReportText.Describe(report)).ConfigureAwait(false);
            if (options.JsonFile is { } file)
            {
                await WriteJsonAsync(report, file, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync("  figures written to " + file).ConfigureAwait(false);
            }

            return report.Passed ? Passed : Failed;
        }
        catch (LoadOptionsException e)
        {
            await error.WriteLineAsync("load: " + e.Message).ConfigureAwait(false);
            return Usage;
        }
        catch (LogQueueException e)
        {
            await error.WriteLineAsync($"load: the target refused the run: {e.Code}: {e.Message}").ConfigureAwait(false);
            return Unreachable;
        }
        catch (Engine.LogQueueException e)
        {
            await error.WriteLineAsync($"load: the engine refused the run: {e.Code}: {e.Message}").ConfigureAwait(false);
            return Unreachable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("load: cancelled.").ConfigureAwait(false);
            return Cancelled;
        }
    }

    /// <summary>Opens the target the options name, runs the workload and returns the report.</summary>
    public static async Task<LoadReport> RunAsync(LoadOptions options, TextWriter output, bool interactive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        (LoadClients clients, TargetLimits limits) = await OpenAsync(options, cancellationToken).ConfigureAwait(false);
        await using (clients.ConfigureAwait(false))
        {
            string title = $"LogQueue load: {limits.Description}";
            if (interactive)
            {
                var live = new LiveProgress(title);
                await using (live.ConfigureAwait(false))
                {
                    return await new LoadRun(options, clients, limits, live).RunAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await output.WriteLineAsync(title).ConfigureAwait(false);
            return await new LoadRun(options, clients, limits, new PlainProgress(output)).RunAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the report as JSON.</summary>
    public static async Task WriteJsonAsync(LoadReport report, string file, CancellationToken cancellationToken)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        FileStream stream = File.Create(file);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, report, JsonOptions, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<(LoadClients Clients, TargetLimits Limits)> OpenAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        if (options.Embedded is { } directory)
        {
            DurabilityMode durability = options.Durability ?? DurabilityMode.Always;
            var engineOptions = new QueueEngineOptions
            {
                DataDirectory = directory,
                Durability = durability,
                MaxBatchSize = Math.Max(Math.Max(options.Batch, options.ConsumerBatch), new QueueEngineOptions().MaxBatchSize),
            };
            EmbeddedLogQueueClient embedded = await EmbeddedLogQueueClient.OpenAsync(Microsoft.Extensions.Options.Options.Create(engineOptions), cancellationToken: cancellationToken).ConfigureAwait(false);
            return (new LoadClients(embedded, embedded), new TargetLimits(engineOptions.MaxBatchSize, engineOptions.MaxAllowedMessageSize, $"embedded engine in {directory} (durability {durability.ToString().ToLowerInvariant()})"));
        }

        var clientOptions = new LogQueueClientOptions
        {
            Endpoint = options.Server!,
            ClientName = "LogQueue.Bench load",
            ConnectionCount = options.Connections,
        };
        try
        {
            clientOptions.Validate();
        }
        catch (ArgumentException e)
        {
            throw new LoadOptionsException("--server: " + e.Message, e);
        }

        LogQueueClient producers = await ConnectAsync(clientOptions, options.Server!, cancellationToken).ConfigureAwait(false);
        LogQueueClient consumers;
        try
        {
            consumers = await ConnectAsync(clientOptions, options.Server!, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await producers.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        global::LogQueue.Protocol.Operations.HelloResponse hello = producers.ServerInfo!;
        return (new LoadClients(producers, consumers), new TargetLimits(hello.MaxBatchSize, hello.MaxMessageSize, $"server {options.Server} (LogQueue {hello.ServerVersion})"));
    }

    private static async Task<LogQueueClient> ConnectAsync(LogQueueClientOptions clientOptions, string server, CancellationToken cancellationToken)
    {
        try
        {
            return await LogQueueClient.ConnectAsync(clientOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (LogQueueException e) when (e.Code is global::LogQueue.Protocol.ErrorCode.ConnectionLost or global::LogQueue.Protocol.ErrorCode.RequestTimedOut)
        {
            throw new LogQueueException(e.Code, $"cannot reach {server}: {e.Message}", e);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
        {
            throw new LogQueueException(global::LogQueue.Protocol.ErrorCode.ConnectionLost, $"cannot reach {server}: {e.Message}", e);
        }
    }

    /// <summary>Writes a size range as its command-line text ("128", "100-4096").</summary>
    private sealed class MessageSizeRangeJsonConverter : JsonConverter<MessageSizeRange>
    {
        public override MessageSizeRange Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            MessageSizeRange.Parse(reader.TokenType == JsonTokenType.Number ? reader.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, MessageSizeRange value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }
}
