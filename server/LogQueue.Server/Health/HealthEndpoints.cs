using LogQueue.Server.Hosting;
using LogQueue.Server.Queues;
using LogQueue.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LogQueue.Server.Health;

/// <summary>
/// <c>GET /health/live</c>: the process is up and serving HTTP (200). <c>GET /health/ready</c>: the queue engine
/// is open, the server is not shutting down, and the data directory is locked by this server and writable (200),
/// else 503 with the reason. Orchestrators restart
/// on a failed liveness probe and stop routing on a failed readiness probe, so liveness checks nothing that a
/// restart would not fix.
/// </summary>
internal static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(LivePath, (RequestDelegate)WriteLiveAsync);
        endpoints.MapGet(ReadyPath, (RequestDelegate)WriteReadyAsync);
        return endpoints;
    }

    private static Task WriteLiveAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status200OK, HealthReport.Live);

    private static Task WriteReadyAsync(HttpContext context)
    {
        IServiceProvider services = context.RequestServices;
        string? problem = null;
        if (services.GetRequiredService<ServerStopping>().IsStopping)
        {
            // Tells load balancers to stop sending work while the connections in flight finish.
            problem = "the server is shutting down";
        }
        else if (!services.GetRequiredService<QueueEngineHost>().IsOpen)
        {
            problem = "the queue engine is not open";
        }
        else
        {
            _ = services.GetRequiredService<DataDirectory>().IsReady(out problem);
        }

        return problem is null
            ? WriteAsync(context, StatusCodes.Status200OK, HealthReport.Ready)
            : WriteAsync(context, StatusCodes.Status503ServiceUnavailable, HealthReport.NotReady(problem));
    }

    private static Task WriteAsync(HttpContext context, int statusCode, HealthReport report)
    {
        context.Response.StatusCode = statusCode;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(report, HealthJsonContext.Default.HealthReport, cancellationToken: context.RequestAborted);
    }
}
