using LogQueue.Server.Hosting;

// Everything lives in ServerHost so that start-up failures (bad options, a locked data directory, a busy
// port) become one clear log line and a distinct exit code rather than an unhandled exception.
return await ServerHost.RunAsync(args).ConfigureAwait(false);
