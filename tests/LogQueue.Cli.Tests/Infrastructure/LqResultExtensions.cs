namespace LogQueue.Cli.Tests.Infrastructure;

/// <summary>Lets a test await a run and check it in one line when only success matters.</summary>
public static class LqResultExtensions
{
    public static async Task<LqResult> AssertSuccessAsync(this Task<LqResult> run) => (await run).AssertSuccess();
}
