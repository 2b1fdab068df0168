using System.Diagnostics;

namespace LogQueue.CrashTests;

/// <summary>
/// Starts the crash helper as a child process with its output redirected.
/// <para>
/// Locating it: the test project references the helper project, and the SDK copies a referenced
/// executable's <c>.dll</c>, <c>.deps.json</c> and <c>.runtimeconfig.json</c> into the test's output
/// directory (target <c>AddDepsJsonAndRuntimeConfigToCopyItemsForReferencingProjects</c>), in Debug and
/// Release alike. It runs under the <c>dotnet</c> host of the SDK that runs the tests
/// (<c>DOTNET_HOST_PATH</c>), not through its apphost, which would need a registered runtime.
/// </para>
/// </summary>
internal static class CrashHelperLauncher
{
    private const string HelperAssembly = "LogQueue.CrashHelper.dll";
    private const string HelperRuntimeConfig = "LogQueue.CrashHelper.runtimeconfig.json";

    /// <summary>Starts <c>LogQueue.CrashHelper &lt;command&gt; &lt;arguments&gt;</c> with standard output and error redirected.</summary>
    public static Process Start(string command, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(HostPath())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(HelperPath());
        start.ArgumentList.Add(command);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
    }

    private static string HelperPath()
    {
        string directory = AppContext.BaseDirectory;
        string assembly = Path.Combine(directory, HelperAssembly);
        string runtimeConfig = Path.Combine(directory, HelperRuntimeConfig);
        if (!File.Exists(assembly) || !File.Exists(runtimeConfig))
        {
            throw new FileNotFoundException(
                $"The crash helper is not in the test output directory {directory} (need {HelperAssembly} and {HelperRuntimeConfig}); " +
                "the test project's ProjectReference to LogQueue.CrashHelper should have copied them.",
                assembly);
        }

        return assembly;
    }

    // The SDK sets DOTNET_HOST_PATH for the processes it starts; when it is absent, the test host itself
    // usually runs under the muxer; "dotnet" on the PATH is the last resort.
    private static string HostPath()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return "dotnet";
    }
}
