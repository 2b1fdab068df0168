namespace LogQueue.Server.Health;

/// <summary>The JSON body of a health endpoint: <c>{"status":"ready"}</c>, or a status with the reason it is not.</summary>
internal sealed record HealthReport(string Status, string? Reason = null)
{
    public static HealthReport Live { get; } = new("live");

    public static HealthReport Ready { get; } = new("ready");

    public static HealthReport NotReady(string reason) => new("not-ready", reason);
}
