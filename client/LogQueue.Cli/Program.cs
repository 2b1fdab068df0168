using System.Runtime.InteropServices;
using System.Text;
using LogQueue.Cli;

// Ctrl-C (and SIGTERM) cancel the running command, which then exits 130; a second Ctrl-C ends the process at once.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancellation.Cancel();
});

using var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
return await CliApplication.RunAsync(args, Console.Out, Console.Error, stdin, cancellation.Token);
