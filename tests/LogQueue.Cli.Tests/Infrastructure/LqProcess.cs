using System.Diagnostics;
using System.Reflection;
using LogQueue.TestSupport;

namespace LogQueue.Cli.Tests.Infrastructure;

/// <summary>
/// The real <c>lq</c>, run as <c>dotnet exec lq.dll ...</c> from its build output with stdin, stdout and stderr
/// captured. Every run is bounded; a run that overstays is killed by its process id.
/// </summary>
public static class LqProcess
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(30);

    public static string AssemblyPath { get; } = Path.Combine(
        typeof(LqProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LqOutputDirectory").Value!,
        "lq.dll");

    public static async Task<LqResult> RunAsync(IEnumerable<string> args, string stdin = "")
    {
        var startInfo = new ProcessStartInfo(ServerProcess.DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("exec");
        startInfo.ArgumentList.Add(AssemblyPath);
        foreach (string arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment.Remove("LOGQUEUE_SERVER");
        startInfo.Environment.Remove("LOGQUEUE_TOKEN");

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start lq.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"lq {string.Join(' ', args)} did not exit within {RunTimeout.TotalSeconds} s.");
        }

        return new LqResult(process.ExitCode, await stdout, await stderr);
    }
}
