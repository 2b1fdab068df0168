using System.Net;
using System.Net.Sockets;
using LogQueue.Server.Connections;
using LogQueue.Server.Dispatch;
using LogQueue.Server.Health;
using LogQueue.Server.Queues;
using LogQueue.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace LogQueue.Server.Hosting;

/// <summary>
/// Builds and runs the server: configuration, logging, Kestrel, the data directory, the queue engine and the endpoints.
/// </summary>
/// <remarks>
/// Options are validated, the data directory is locked and the queue engine opened after the host is built but
/// before it starts, so that a bad option, a directory held by another server or storage the engine refuses stops
/// start-up with one clear log line and its own exit code (<see cref="ExitCodes"/>), before anything listens.
/// Shutdown runs in this order: <see cref="ServerStopping"/> is cancelled (long polls return); Kestrel stops
/// accepting and finishes the connections and requests in flight; <see cref="QueueEngineHost"/> flushes and closes
/// the engine; <see cref="ServerLifecycle"/> releases the data directory lock and logs "stopped".
/// </remarks>
internal static partial class ServerHost
{
    // Kubernetes waits 30 s between SIGTERM and SIGKILL by default; finishing well inside that leaves room for
    // the engine's final flush, which runs after this timeout has been spent on connections if need be.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    // Lowest-priority configuration: the server stays quiet per request even when appsettings.json is missing.
    private static readonly Dictionary<string, string?> LoggingDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
    };

    private static readonly string KnownOptionNames = string.Join(", ", typeof(ServerOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name));

    // Room on top of one whole frame in a connection's read buffer, so the handler can hold a frame of the
    // largest length plus the start of the next one before Kestrel stops reading (back-pressure).
    private const int ReadBufferSlack = 64 << 10;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (CommandLineSwitches.IsHelpRequested(args))
        {
            await Console.Out.WriteAsync(CommandLineSwitches.Usage).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        if (CommandLineSwitches.IsVersionRequested(args))
        {
            await Console.Out.WriteLineAsync(ServerVersion.Current).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        WebApplication app = Build(args);
        await using (app.ConfigureAwait(false))
        {
            ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServerHost).FullName!);
            try
            {
                return await ServeAsync(app, args, logger).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Logged through the host's logger (which the disposal below flushes) rather than left to the runtime,
                // which would print a bare stack trace and abort with SIGABRT's exit code.
                LogUnexpectedFailure(logger, ex);
                return ExitCodes.Failure;
            }
        }
    }

    public static WebApplication Build(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships next to the binaries; the data directory, by contrast, is resolved against
            // the working directory (DataDirectory), so `dotnet run` from the repository root writes ./data.
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LoggingDefaults });
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string>(CommandLineSwitches.Mappings, StringComparer.OrdinalIgnoreCase));

        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Error);

        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);

        // Unknown keys under "LogQueue" are errors: a misspelt LOGQUEUE__DataDir must not silently mean ./data.
        builder.Services.AddOptions<ServerOptions>()
            .Bind(builder.Configuration.GetSection(ServerOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true);
        builder.Services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();

        builder.Services.AddSingleton(services => new DataDirectory(
            services.GetRequiredService<IOptions<ServerOptions>>().Value.DataDirectory,
            services.GetRequiredService<ILogger<DataDirectory>>()));

        builder.Services.AddSingleton<ServerEndpoints>();
        builder.Services.AddSingleton<ServerStopping>();
        builder.Services.AddSingleton<QueueEngineHost>();
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<RequestDispatcher>();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServerOptions>, ServerEndpoints>(ConfigureKestrel);
        builder.Services.AddOptions<SocketTransportOptions>().Configure<IOptions<ServerOptions>>(ConfigureSockets);

        // Kestrel's own hosted service is added after all of these, so it starts last and stops first.
        builder.Services.AddHostedService(services => services.GetRequiredService<QueueEngineHost>());
        builder.Services.AddHostedService<ServerLifecycle>();

        WebApplication app = builder.Build();
        app.MapHealthEndpoints();
        return app;
    }

    private static async Task<int> ServeAsync(WebApplication app, string[] args, ILogger logger)
    {
        string? invalidArgument = CommandLineSwitches.FindInvalidArgument(args);
        if (invalidArgument is not null)
        {
            LogInvalidConfiguration(logger, invalidArgument);
            return ExitCodes.InvalidConfiguration;
        }

        ServerOptions options;
        try
        {
            options = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            foreach (string failure in ex.Failures)
            {
                LogInvalidConfiguration(logger, failure);
            }

            return ExitCodes.InvalidConfiguration;
        }
        catch (InvalidOperationException ex)
        {
            // The binder's own errors: a value of the wrong type ("Failed to convert configuration value 'abc'
            // at 'LogQueue:HttpPort'...") or an unknown key; its message names the key.
            string problem = $"{ex.Message} (the options under '{ServerOptions.SectionName}' are {KnownOptionNames}; see --help)";
            LogInvalidConfiguration(logger, problem);
            return ExitCodes.InvalidConfiguration;
        }

        try
        {
            app.Services.GetRequiredService<DataDirectory>().Open();
        }
        catch (DataDirectoryUnavailableException ex)
        {
            LogDataDirectoryUnavailable(logger, ex.Message);
            return ExitCodes.DataDirectoryUnavailable;
        }

        // Opened here rather than left to the host's start-up so that a refusal is one log line and an exit code,
        // not the host's "failed to start" stack trace. A failure leaves the data directory to the disposal of the
        // app, which releases its lock.
        QueueEngineHost engineHost = app.Services.GetRequiredService<QueueEngineHost>();
        try
        {
            await engineHost.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (QueueEngineUnavailableException ex)
        {
            LogStorageUnavailable(logger, ex.Message);
            return ex.InUse ? ExitCodes.DataDirectoryUnavailable : ExitCodes.StorageUnavailable;
        }

        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException ex) when (ex.InnerException is AddressInUseException or SocketException)
        {
            // Kestrel wraps "address already in use" and names the address ("Failed to bind to address
            // http://127.0.0.1:7150: address already in use.") ...
            (int port, string listener) = FailedListener(options, ex.Message);
            LogCannotListen(logger, options.Bind, port, listener, ex.InnerException.Message);
            return ExitCodes.CannotListen;
        }
        catch (SocketException ex)
        {
            // ... but not "cannot assign requested address" (a bind address that is not one of this machine's),
            // which fails the first listener, the protocol's.
            LogCannotListen(logger, options.Bind, options.Port, "binary protocol, --port", ex.Message);
            return ExitCodes.CannotListen;
        }

        // Returns once SIGTERM, SIGINT (Ctrl-C) or SIGQUIT has asked the host to stop and the host has stopped.
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return engineHost.CloseFailed ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static (int Port, string Listener) FailedListener(ServerOptions options, string message) =>
        options.Port != 0 && message.Contains(FormattableString.Invariant($":{options.Port}:"), StringComparison.Ordinal)
            ? (options.Port, "binary protocol, --port")
            : (options.HttpPort, "HTTP, --http-port");

    private static void ConfigureKestrel(KestrelServerOptions kestrel, IOptions<ServerOptions> serverOptions, ServerEndpoints endpoints)
    {
        kestrel.AddServerHeader = false;

        // WebApplication resolves the server, and with it these options, while it is built, which is before
        // ServeAsync can report bad options cleanly. Invalid options leave Kestrel without a listener here; ServeAsync
        // then reads them again, logs the error and exits without starting the server.
        ServerOptions options;
        try
        {
            options = serverOptions.Value;
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
        {
            return;
        }

        if (ServerOptions.TryParseBindAddress(options.Bind, out IPAddress address))
        {
            // No Kestrel-wide connection limit (Limits.MaxConcurrentConnections): it would count health probes
            // too, so a full protocol port could fail readiness. The protocol handler enforces MaxConnections.
            ListenOptions? protocol = null;
            ListenOptions? http = null;
            kestrel.Listen(address, options.Port, listen =>
            {
                listen.UseConnectionHandler<BinaryProtocolConnectionHandler>();
                protocol = listen;
            });
            kestrel.Listen(address, options.HttpPort, listen => http = listen);
            endpoints.SetListeners(protocol!, http!);
        }
    }

    private static void ConfigureSockets(SocketTransportOptions sockets, IOptions<ServerOptions> serverOptions)
    {
        try
        {
            sockets.MaxReadBufferSize = (long)serverOptions.Value.MaxFrameLength + ReadBufferSlack;
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
        {
            // Reported by ServeAsync, which then exits before anything listens; see ConfigureKestrel.
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Critical, Message = "Invalid configuration: {Problem}")]
    private static partial void LogInvalidConfiguration(ILogger logger, string problem);

    [LoggerMessage(EventId = 11, Level = LogLevel.Critical, Message = "{Problem}")]
    private static partial void LogDataDirectoryUnavailable(ILogger logger, string problem);

    [LoggerMessage(EventId = 13, Level = LogLevel.Critical, Message = "The server failed")]
    private static partial void LogUnexpectedFailure(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 12, Level = LogLevel.Critical, Message = "Cannot listen on {Bind} port {Port} ({Listener}): {Reason}. Choose another address with --bind or port with --port or --http-port.")]
    private static partial void LogCannotListen(ILogger logger, string bind, int port, string listener, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Critical, Message = "{Problem}")]
    private static partial void LogStorageUnavailable(ILogger logger, string problem);
}
