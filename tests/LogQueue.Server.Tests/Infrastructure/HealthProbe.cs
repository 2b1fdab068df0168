using System.Net;

namespace LogQueue.Server.Tests.Infrastructure;

/// <summary>HTTP calls to a server's health endpoints, each bounded in time.</summary>
public static class HealthProbe
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(Uri endpoint, string path)
    {
        using HttpResponseMessage response = await Client.GetAsync(new Uri(endpoint, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls <paramref name="path"/> until it answers 200, failing after <paramref name="timeout"/>.</summary>
    public static async Task<string> WaitForOkAsync(Uri endpoint, string path, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (true)
        {
            try
            {
                (HttpStatusCode status, string body) = await GetAsync(endpoint, path);
                if (status == HttpStatusCode.OK)
                {
                    return body;
                }

                last = $"{(int)status} {body}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException ex)
            {
                last = ex.Message;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{path} did not answer 200 within {timeout.TotalSeconds} s; last: {last}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
