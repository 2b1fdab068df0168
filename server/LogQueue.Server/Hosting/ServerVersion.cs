using System.Reflection;

namespace LogQueue.Server.Hosting;

/// <summary>The server's version as built: the assembly's informational version (with the source revision when the build knew it).</summary>
internal static class ServerVersion
{
    public static string Current { get; } =
        typeof(ServerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ServerVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
